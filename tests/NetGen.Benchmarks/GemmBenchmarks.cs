using System;
using BenchmarkDotNet.Attributes;
using NetGen.Kernels;

namespace NetGen.Benchmarks;

/// <summary>
/// The GEMM kernel alone, at the shapes the course's networks use, on every SIMD tier (forced with Simd.Tier). The
/// GFLOP/s column is 2·m·k·n over the mean time. m×k×n: C[m×n] = op(A)[m×k]·op(B)[k×n].
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private GemmShape _shape;
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private SimdTier _previousTier;

    /// <summary>
    /// MLP forward at batch 32; hidden-kernel gradient (Xᵀ·dZ); output layer forward; output layer input gradient
    /// (dZ·Wᵀ); single-image inference; a PredictBatch chunk of the MLP (1 024 rows since row groups; 256 before).
    /// </summary>
    [Params("32x784x100", "784x32x100:TransA", "32x100x10", "32x10x100:TransB", "1x784x100", "1024x784x100")]
    public string Shape { get; set; } = "32x784x100";

    [Params(SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512)]
    public SimdTier Tier { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = GemmShape.Parse(Shape);
        var rng = new Random(42);
        _a = Fill(_shape.M * _shape.K, rng);
        _b = Fill(_shape.K * _shape.N, rng);
        _c = new float[_shape.M * _shape.N];
        _previousTier = Simd.Tier;
        Simd.Tier = Tier;
        if (Simd.EffectiveTier != Tier)
        {
            Console.WriteLine($"// {Tier} is not accelerated here: {Simd.EffectiveTier} runs instead.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Simd.Tier = _previousTier;

    [Benchmark]
    public float Gemm()
    {
        _shape.Run(_a, _b, _c);
        return _c[0];
    }

    private static float[] Fill(int length, Random rng)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return values;
    }
}
