using System;
using System.Linq;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// Batch normalization against the double reference twin, on every SIMD tier (each must give the same bits): per
/// feature after a Dense layer (few rows) and per channel after a Conv2D (rows = batch·h·w). The float kernel sums
/// rows in order, so its statistics may differ from the double ones by about rows·u relative; the outputs are
/// compared at 1e-4 of their scale (a wrong formula is off by O(1)).
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class BatchNormalizationTests
{
    public static TheoryData<int, int> RowsChannels() => new() { { 1, 1 }, { 2, 3 }, { 32, 10 }, { 32, 17 }, { 5, 33 }, { 338, 32 }, { 121, 64 } };

    [Theory]
    [MemberData(nameof(RowsChannels))]
    public void Training_inference_and_backward_match_the_reference_on_every_tier(int rows, int channels)
    {
        var random = new Random((rows * 100) + channels);
        float[] x = TestData.Uniform(random, rows * channels, -3f, 5f), dy = TestData.Uniform(random, rows * channels);
        float[] gamma = TestData.Uniform(random, channels, 0.5f, 2f), beta = TestData.Uniform(random, channels);
        float[] movingMean = TestData.Uniform(random, channels), movingVariance = TestData.Uniform(random, channels, 0.5f, 2f);
        const float momentum = 0.99f, epsilon = 1e-3f;

        double[] xd = ConvolutionCases.ToDouble(x), gd = ConvolutionCases.ToDouble(gamma), bd = ConvolutionCases.ToDouble(beta);
        double[] mm = ConvolutionCases.ToDouble(movingMean), mv = ConvolutionCases.ToDouble(movingVariance);
        double[] y = new double[x.Length], mean = new double[channels], inverseStd = new double[channels];
        ConvolutionReference.BatchNormTraining(xd, gd, bd, mm, mv, momentum, epsilon, y, mean, inverseStd, rows, channels);
        double[] yInference = new double[x.Length];
        ConvolutionReference.BatchNormInference(xd, gd, bd, mm, mv, epsilon, yInference, rows, channels);
        double[] dgamma = new double[channels], dbeta = new double[channels], dx = new double[x.Length];
        ConvolutionReference.BatchNormBackward(xd, gd, mean, inverseStd, ConvolutionCases.ToDouble(dy), dgamma, dbeta, dx, rows, channels);

        float[][]? first = null;
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            using var scope = new TierScope(tier);
            float[] actualMovingMean = (float[])movingMean.Clone(), actualMovingVariance = (float[])movingVariance.Clone();
            float[] actualY = new float[x.Length], savedMean = new float[channels], savedInverseStd = new float[channels];
            BatchNormalization.ForwardTraining(
                x, gamma, beta, actualMovingMean, actualMovingVariance, momentum, epsilon, actualY, savedMean, savedInverseStd, rows, channels);
            AssertClose(actualY, y, $"{tier} y");
            AssertClose(savedMean, mean, $"{tier} mean");
            AssertClose(savedInverseStd, inverseStd, $"{tier} 1/std");
            AssertClose(actualMovingMean, mm, $"{tier} moving mean");
            AssertClose(actualMovingVariance, mv, $"{tier} moving variance");

            float[] actualInference = new float[x.Length];
            BatchNormalization.ForwardInference(x, gamma, beta, actualMovingMean, actualMovingVariance, epsilon, actualInference, rows, channels);
            AssertClose(actualInference, yInference, $"{tier} inference y");

            float[] actualDgamma = new float[channels], actualDbeta = new float[channels], actualDx = new float[x.Length];
            BatchNormalization.Backward(x, gamma, savedMean, savedInverseStd, dy, actualDgamma, actualDbeta, actualDx, rows, channels);
            AssertClose(actualDgamma, dgamma, $"{tier} dgamma");
            AssertClose(actualDbeta, dbeta, $"{tier} dbeta");
            AssertClose(actualDx, dx, $"{tier} dx");

            float[] onlyDgamma = new float[channels], onlyDbeta = new float[channels];
            BatchNormalization.Backward(x, gamma, savedMean, savedInverseStd, dy, onlyDgamma, onlyDbeta, Span<float>.Empty, rows, channels);
            Assert.Equal(actualDgamma, onlyDgamma);
            Assert.Equal(actualDbeta, onlyDbeta);

            float[][] all = [actualY, savedMean, savedInverseStd, actualMovingMean, actualMovingVariance, actualInference, actualDgamma, actualDbeta, actualDx];
            first ??= all;
            for (int i = 0; i < all.Length; i++)
            {
                Assert.Equal(first[i], all[i]);
            }
        }
    }

    [Fact]
    public void Training_normalizes_to_zero_mean_and_unit_variance_and_moves_the_statistics_by_momentum()
    {
        float[] x = [1, 10, 3, 20, 5, 30, 7, 40], y = new float[8], mean = new float[2], inverseStd = new float[2];
        float[] movingMean = [0, 0], movingVariance = [1, 1];
        BatchNormalization.ForwardTraining(x, [1, 1], [0, 0], movingMean, movingVariance, 0.9f, 0f, y, mean, inverseStd, rows: 4, channels: 2);
        Assert.Equal([4f, 25f], mean);
        Assert.Equal(0f, y.Where((_, i) => i % 2 == 0).Sum(), 5);
        Assert.Equal(4f, y.Where((_, i) => i % 2 == 0).Sum(v => v * v), 4);

        // Biased variances 5 and 125, as Keras 3 uses for the moving variance too.
        Assert.Equal(0.4f, movingMean[0], 5);
        Assert.Equal(2.5f, movingMean[1], 5);
        Assert.Equal((0.9f * 1) + (0.1f * 5), movingVariance[0], 5);
        Assert.Equal((0.9f * 1) + (0.1f * 125), movingVariance[1], 4);
    }

    private static void AssertClose(float[] actual, double[] expected, string what)
    {
        double scale = expected.Max(Math.Abs) + 1e-6;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= 1e-4 * scale, $"{what}[{i}] = {actual[i]}, expected {expected[i]} (error {error:G3}, scale {scale:G3}).");
        }
    }
}
