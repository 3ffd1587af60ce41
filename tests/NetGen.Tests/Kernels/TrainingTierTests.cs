using System;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Tests.Models;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Whole training runs on every forced SIMD tier give bit-identical weights: the GEMM and element-wise kernels add up
/// each output in the same order with the same (fused or unfused) multiply-adds whatever their width. CI runs this
/// class again with AVX-512 switched off, where TensorPrimitives and the softmax rows take their 256-bit paths too, and
/// .ci/aot-check.sh compares a NativeAOT build's weights with the JIT's. Without FMA the weights differ (README,
/// "NativeAOT"); <see cref="Simd.IsMultiplyAddFused"/> tells which case a process is in.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class TrainingTierTests
{
    public static TheoryData<string> Models => new() { "xor", "classifier", "regressor", "normalized", "mlp", "wide" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Training_gives_bit_identical_weights_on_every_tier(string model)
    {
        float[] scalar;
        using (new TierScope(SimdTier.Scalar))
        {
            scalar = Train(model);
        }

        foreach (SimdTier tier in new[] { SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            using var scope = new TierScope(tier);
            float[] trained = Train(model);
            int differ = FirstDifference(scalar, trained);
            Assert.True(differ < 0, differ < 0 ? null
                : $"{model} on {Simd.EffectiveTier}: parameter {differ} is {trained[differ]:R}, on the scalar tier {scalar[differ]:R}");
        }
    }

    [Fact]
    public void The_check_sees_a_one_bit_difference()
    {
        // The comparison above is on bits, not values within a tolerance: one ulp anywhere is a failure.
        float[] a = Train("xor");
        float[] b = (float[])a.Clone();
        b[^1] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(b[^1]) + 1);
        Assert.Equal(a.Length - 1, FirstDifference(a, b));
        Assert.Equal(-1, FirstDifference(a, Train("xor")));
    }

    private static int FirstDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A few epochs of one test model on seeded data whose batches leave tails on every vector width.</summary>
    private static float[] Train(string model)
    {
        var random = new Random(5);
        switch (model)
        {
            case "xor":
            {
                var net = new Xor241Tanh(seed: 3);
                net.Compile(new Adam(0.05f));
                net.Fit(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, new float[] { 0, 1, 1, 0 }, epochs: 200, batchSize: 4, seed: 3, verbose: 0);
                return net.Parameters.ToArray();
            }

            case "classifier":
            {
                var net = new SparseClassifier(seed: 3);
                net.Compile(new Sgd(0.05f, momentum: 0.9f, nesterov: true));
                net.Fit(Inputs(random, 77, 6), Labels(random, 77, 3), epochs: 15, batchSize: 13, seed: 3, verbose: 0);
                return net.Parameters.ToArray();
            }

            case "regressor":
            {
                var net = new Regressor(seed: 3);
                net.Compile(new RmsProp(0.01f));
                net.Fit(Inputs(random, 61, 3), Inputs(random, 61, 2), epochs: 15, batchSize: 9, seed: 3, verbose: 0);
                return net.Parameters.ToArray();
            }

            case "normalized":
            {
                var net = new NormalizedRegressor(seed: 3);
                float[,] x = Inputs(random, 53, 3);
                net.Adapt(x);
                net.Compile(new Adam(0.01f));
                net.Fit(x, Inputs(random, 53, 1), epochs: 15, batchSize: 7, seed: 3, verbose: 0);
                return net.Parameters.ToArray();
            }

            case "mlp":
            {
                // 784 inputs: the GEMM's deep-product path; dropout masks; softmax over 10 classes.
                var net = new Mlp(seed: 3);
                net.Compile(new Adam(0.001f));
                net.Fit(Inputs(random, 45, 784), Labels(random, 45, 10), epochs: 3, batchSize: 19, seed: 3, verbose: 0);
                return net.Parameters.ToArray();
            }

            case "wide":
            {
                // 600 units: the blocked GEMM's wide panels and their edges.
                var net = new WideRegressor(seed: 3);
                net.Compile(new Adagrad(0.01f));
                net.Fit(Inputs(random, 70, 4), Inputs(random, 70, 2), epochs: 5, batchSize: 35, seed: 3, verbose: 0);
                return net.Parameters.ToArray();
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "not a model of this test");
        }
    }

    private static float[,] Inputs(Random random, int rows, int columns)
    {
        var x = new float[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                x[i, j] = (2 * random.NextSingle()) - 1;
            }
        }

        return x;
    }

    private static int[] Labels(Random random, int rows, int classes)
    {
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = random.Next(classes);
        }

        return labels;
    }
}
