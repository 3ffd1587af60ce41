using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Attributes;
using NetGen.Kernels;

namespace NetGen.Benchmarks;

/// <summary>
/// The convolution, pooling and bias/activation kernels of Keras's simple convnet (issue 14) at exactly its shapes:
/// 28×28×1 → Conv2D(32, 3, ReLU) 26×26×32 → MaxPool 2 13×13×32 → Conv2D(64, 3, ReLU) 11×11×64 → MaxPool 2 5×5×64 →
/// Flatten 1600 → Dense(10), batch 32 (training) and 1 (a prediction). <see cref="CnnLayerKernels"/> holds the
/// cases; this class runs them under BenchmarkDotNet, and the <c>cnn</c> command times them all quickly and
/// estimates a training epoch from them.
/// </summary>
[MemoryDiagnoser]
public class ConvolutionBenchmarks
{
    private CnnLayerKernels _kernels = null!;
    private Action _run = null!;

    /// <summary>A case of <see cref="CnnLayerKernels.Names"/>.</summary>
    [ParamsSource(nameof(Names))]
    public string Kernel { get; set; } = "conv2.forward";

    [Params(32, 1)]
    public int Batch { get; set; } = 32;

    public static IEnumerable<string> Names => CnnLayerKernels.Names;

    [GlobalSetup]
    public void Setup()
    {
        _kernels = new CnnLayerKernels(Batch);
        _run = _kernels.Case(Kernel).Run;
    }

    [Benchmark]
    public void Run() => _run();
}

/// <summary>One kernel call of the CNN's training step or prediction, and the FLOPs it is credited with.</summary>
/// <remarks>A fused case (<see cref="Replaces"/> not null) stands for the named cases in the fused estimates.</remarks>
internal readonly record struct CnnKernelCase(string Name, double Flops, bool InTraining, bool InPrediction, Action Run, string[]? Replaces = null);

/// <summary>
/// Buffers for the CNN's layers at one batch size and every kernel call a training step and a prediction make, in
/// order. FLOPs: 2 per multiply-add of a convolution (forward, dW and dx each cost as much as the forward product);
/// pooling, bias and activation are credited 0, as in RESULTS.md's convention.
/// </summary>
internal sealed class CnnLayerKernels
{
    public static readonly Conv2DGeometry Conv1 = Conv2DGeometry.Valid(28, 28, 1, 3, 3, 1, 1);
    public static readonly Conv2DGeometry Pool1 = Conv2DGeometry.Valid(26, 26, 32, 2, 2, 2, 2);
    public static readonly Conv2DGeometry Conv2 = Conv2DGeometry.Valid(13, 13, 32, 3, 3, 1, 1);
    public static readonly Conv2DGeometry Pool2 = Conv2DGeometry.Valid(11, 11, 64, 2, 2, 2, 2);

    /// <summary>Forward multiply-adds per image: conv1 194 688 + conv2 2 230 272 + dense 16 000.</summary>
    public const double ForwardFlopsPerImage = 2.0 * 2_440_960;

    public static IReadOnlyList<string> Names { get; } = new CnnLayerKernels(1).Cases.Select(c => c.Name).ToArray();

    public CnnLayerKernels(int batch)
    {
        Batch = batch;
        var random = new Random(42);
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

        float[] x = Fill(batch * Conv1.InputLength), w1 = Fill(9 * 32), b1 = Fill(32), w2 = Fill(288 * 64), b2 = Fill(64);
        float[] wd = Fill(1600 * 10);
        int rows1 = batch * Conv1.OutputPixels, rows2 = batch * Conv2.OutputPixels;
        float[] z1 = new float[rows1 * 32], a1 = new float[z1.Length], p1 = new float[batch * Pool1.OutputPixels * 32];
        float[] z2 = new float[rows2 * 64], a2 = new float[z2.Length], p2 = new float[batch * Pool2.OutputPixels * 64];
        int[] arg1 = new int[p1.Length], arg2 = new int[p2.Length];
        float[] winners1 = new float[p1.Length], dz2 = new float[z2.Length];
        float[] logits = new float[batch * 10], dLogits = Fill(batch * 10), dwd = new float[wd.Length];
        float[] dp2 = new float[p2.Length], da2 = new float[a2.Length], db2 = new float[64], dw2 = new float[w2.Length];
        float[] dp1 = new float[p1.Length], da1 = new float[a1.Length], db1 = new float[32], dw1 = new float[w1.Length];
        float[] scratch = new float[Math.Max(Conv2D.ScratchLength(in Conv1, 32, batch), Conv2D.ScratchLength(in Conv2, 64, batch))];
        float[] columns2 = new float[rows2 * 288];
        double conv1 = 2.0 * rows1 * 9 * 32, conv2 = 2.0 * rows2 * 288 * 64, dense = 2.0 * batch * 1600 * 10;

        Cases =
        [
            new("conv1.forward", conv1, true, true, () => Conv2D.Forward(x, w1, z1, scratch, in Conv1, 32, batch)),
            new("conv1.bias-relu", 0, true, true, () => BiasActivation.AddBiasRelu(z1, b1, a1, rows1)),
            new("(conv1.forward+bias-relu)", conv1, false, false, () => Conv2D.ForwardBiasRelu(x, w1, b1, z1, a1, scratch, in Conv1, 32, batch)),
            new("(conv1 fused, in place)", conv1, false, false, () => Conv2D.ForwardBiasRelu(x, w1, b1, a1, a1, scratch, in Conv1, 32, batch)),
            new("pool1.forward", 0, true, true, () => MaxPooling2D.Forward(a1, p1, arg1, in Pool1, batch)),
            new("(conv1+relu+pool1 fused)", conv1, false, false, () => Conv2D.ForwardBiasReluMaxPool(x, w1, b1, p1, winners1, in Conv1, in Pool1, 32, batch),
                ["conv1.forward", "conv1.bias-relu", "pool1.forward"]),
            new("conv2.forward", conv2, true, true, () => Conv2D.Forward(p1, w2, z2, scratch, in Conv2, 64, batch)),
            new("conv2.bias-relu", 0, true, true, () => BiasActivation.AddBiasRelu(z2, b2, a2, rows2)),
            new("(conv2.forward+bias-relu)", conv2, false, false, () => Conv2D.ForwardBiasRelu(p1, w2, b2, z2, a2, scratch, in Conv2, 64, batch),
                ["conv2.forward", "conv2.bias-relu"]),
            new("pool2.forward", 0, true, true, () => MaxPooling2D.Forward(a2, p2, arg2, in Pool2, batch)),
            new("dense.forward", dense, true, true, () => Gemm.MatMul(p2, wd, logits, batch, 1600, 10)),
            new("dense.backward", 2 * dense, true, false, () =>
            {
                Gemm.MatMulTransA(p2, dLogits, dwd, 1600, batch, 10);
                Gemm.MatMulTransB(dLogits, wd, dp2, batch, 10, 1600);
            }),
            new("pool2.backward", 0, true, false, () => MaxPooling2D.Backward(dp2, arg2, da2, in Pool2, batch)),
            new("conv2.relu-bias.backward", 0, true, false, () => BiasActivation.ReluBackward(z2, da2, db2, rows2)),
            new("conv2.backward", 2 * conv2, true, false, () => Conv2D.Backward(p1, w2, da2, dw2, dp1, scratch, in Conv2, 64, batch)),
            new("(pool2+relu+conv2 fused bwd)", 2 * conv2, false, false,
                () => Conv2D.BackwardReluMaxPool(p1, w2, z2, arg2, dp2, dz2, dw2, db2, dp1, scratch, in Conv2, in Pool2, 64, batch),
                ["pool2.backward", "conv2.relu-bias.backward", "conv2.backward"]),
            new("(conv2.backward dW only)", conv2, false, false, () => Conv2D.Backward(p1, w2, da2, dw2, Span<float>.Empty, scratch, in Conv2, 64, batch)),
            new("(conv2 dW gemm, whole)", conv2, false, false, () => Gemm.MatMulTransA(columns2, da2, dw2, 288, rows2, 64)),
            new("(conv2 dcol gemm, whole)", conv2, false, false, () => Gemm.MatMulTransB(da2, w2, columns2, rows2, 64, 288)),
            new("(conv2 fwd gemm, whole)", conv2, false, false, () => Gemm.MatMul(columns2, w2, z2, rows2, 288, 64)),
            new("pool1.backward", 0, true, false, () => MaxPooling2D.Backward(dp1, arg1, da1, in Pool1, batch)),
            new("conv1.relu-bias.backward", 0, true, false, () => BiasActivation.ReluBackward(z1, da1, db1, rows1)),
            new("conv1.backward", conv1, true, false, () => Conv2D.Backward(x, w1, da1, dw1, Span<float>.Empty, scratch, in Conv1, 32, batch)),
            new("(pool1+relu+conv1 fused bwd)", conv1, false, false,
                () => Conv2D.BackwardBiasReluMaxPool(x, p1, winners1, dp1, dw1, db1, scratch, in Conv1, in Pool1, 32, batch),
                ["pool1.backward", "conv1.relu-bias.backward", "conv1.backward"]),
        ];
    }

    public int Batch { get; }

    public CnnKernelCase[] Cases { get; }

    public CnnKernelCase Case(string name) => Cases.First(c => c.Name == name);

    /// <summary>
    /// The <c>cnn</c> command: times every case at batch 32 and 1 (median of repeated runs after a warm-up), prints
    /// GFLOP/s and the share of <paramref name="peakGflops"/>, and estimates the training epoch (60 000 images in
    /// batches of 32: the kernels only, no optimizer or loss) and the single-image prediction.
    /// </summary>
    public static int Report(double peakGflops)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"peak used for fractions: {peakGflops:F1} GFLOP/s (NETGEN_PEAK_GFLOPS); threads {Threading.Parallelism.MaxThreads}"));
        foreach (int batch in new[] { 32, 1 })
        {
            var kernels = new CnnLayerKernels(batch);
            double trainingUs = 0, predictionUs = 0, trainingFlops = 0;
            var times = new Dictionary<string, double>();
            Console.WriteLine($"batch {batch}:");
            foreach (CnnKernelCase c in kernels.Cases)
            {
                double us = MedianMicroseconds(c.Run, batch == 1 ? 2000 : 60);
                times[c.Name] = us;
                trainingUs += c.InTraining ? us : 0;
                predictionUs += c.InPrediction ? us : 0;
                trainingFlops += c.InTraining ? c.Flops : 0;
                string rate = c.Flops > 0 ? string.Create(inv, $"{c.Flops / us / 1e3,7:F1} GFLOP/s {100 * c.Flops / us / 1e3 / peakGflops,5:F1} %") : "";
                Console.WriteLine(string.Create(inv, $"  {c.Name,-26} {us,10:F2} us  {rate}"));
            }

            double steps = 60_000.0 / batch;
            Console.WriteLine(string.Create(inv,
                $"  training step kernels {trainingUs:F1} us -> epoch estimate {trainingUs * steps / 1e6:F3} s ({trainingFlops / trainingUs / 1e3:F1} GFLOP/s, {100 * trainingFlops / trainingUs / 1e3 / peakGflops:F1} % of peak; kernels only)"));
            Console.WriteLine(string.Create(inv, $"  prediction kernels {predictionUs:F2} us per batch of {batch}"));

            // The same with each fused case standing for the separate calls it replaces, timed again interleaved with
            // them (call for call) so that a shared machine's load falls on both alike.
            double fusedTraining = trainingUs, fusedPrediction = predictionUs;
            foreach (CnnKernelCase fused in kernels.Cases.Where(c => c.Replaces is not null))
            {
                CnnKernelCase[] replaced = fused.Replaces!.Select(kernels.Case).ToArray();
                void Separate()
                {
                    foreach (CnnKernelCase c in replaced)
                    {
                        c.Run();
                    }
                }

                (double separateUs, double fusedUs) = InterleavedMedians(Separate, fused.Run, batch == 1 ? 4000 : 200);
                Console.WriteLine(string.Create(inv,
                    $"  interleaved: {string.Join(" + ", fused.Replaces!)} {separateUs:F2} us, fused {fusedUs:F2} us (x{separateUs / fusedUs:F3})"));
                double ratio = fusedUs / separateUs;
                times[fused.Name] = ratio * replaced.Sum(c => times[c.Name]);
                if (replaced.All(c => c.InTraining))
                {
                    fusedTraining += times[fused.Name] - replaced.Sum(c => times[c.Name]);
                }

                if (replaced.All(c => c.InPrediction))
                {
                    fusedPrediction += times[fused.Name] - replaced.Sum(c => times[c.Name]);
                }
            }

            Console.WriteLine(string.Create(inv,
                $"  fused: training step kernels {fusedTraining:F1} us -> epoch estimate {fusedTraining * steps / 1e6:F3} s ({trainingFlops / fusedTraining / 1e3:F1} GFLOP/s, {100 * trainingFlops / fusedTraining / 1e3 / peakGflops:F1} % of peak); prediction kernels {fusedPrediction:F2} us"));
        }

        return 0;
    }

    /// <summary>Medians of <paramref name="a"/> and <paramref name="b"/> timed call for call, alternately.</summary>
    private static (double A, double B) InterleavedMedians(Action a, Action b, int calls)
    {
        for (int i = 0; i < Math.Max(5, calls / 10); i++)
        {
            a();
            b();
        }

        var timesA = new double[calls];
        var timesB = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            a();
            timesA[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            b();
            timesB[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(timesA);
        Array.Sort(timesB);
        return (timesA[calls / 2], timesB[calls / 2]);
    }

    private static double MedianMicroseconds(Action run, int calls)
    {
        for (int i = 0; i < Math.Max(5, calls / 5); i++)
        {
            run();
        }

        var times = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return times[calls / 2];
    }
}
