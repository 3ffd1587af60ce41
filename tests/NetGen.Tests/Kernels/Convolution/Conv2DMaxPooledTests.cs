using System;
using System.Linq;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// <see cref="Conv2D.ForwardBiasReluMaxPool"/> and <see cref="Conv2D.BackwardBiasReluMaxPool"/>, the fused first layer
/// and 2×2 max pooling, on every SIMD tier: the forward pass bit for bit against the calls it replaces
/// (<see cref="Conv2D.ForwardBiasRelu"/> then <see cref="MaxPooling2D.Forward"/>, winners included), the backward pass
/// against the double reference of the same chain (pooling's routing, ReLU's derivative, the convolution's kernel
/// gradient and the bias sum), and every tier giving the backward pass's bits.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class Conv2DMaxPooledTests
{
    /// <summary>
    /// Keras's first layer; odd conv outputs (the last row and column left out); three channels; strides 2×1; a 1×1
    /// window; filter counts with tails at every width (5, 20, 33); batch 1; and batches over all four lanes.
    /// </summary>
    public static readonly (Conv2DGeometry Conv, int Filters, int Batch)[] Pairs =
    [
        (Conv2DGeometry.Valid(28, 28, 1, 3, 3, 1, 1), 32, 2),
        (Conv2DGeometry.Valid(9, 8, 3, 3, 3, 1, 1), 20, 3),
        (Conv2DGeometry.Valid(11, 12, 2, 2, 3, 2, 1), 5, 1),
        (Conv2DGeometry.Valid(6, 6, 3, 1, 1, 1, 1), 33, 2),
        (Conv2DGeometry.Valid(12, 12, 1, 3, 3, 1, 1), 16, 9),
    ];

    public static TheoryData<int> Cases => [.. Enumerable.Range(0, Pairs.Length)];

    private static readonly SimdTier[] s_tiers = [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_forward_pass_matches_the_separate_layers_bit_for_bit_on_every_tier(int index)
    {
        (Conv2DGeometry g, int filters, int batch) = Pairs[index];
        Conv2DGeometry pool = PoolOf(g, filters);
        Assert.True(Conv2D.FusesMaxPooling(in g, in pool, filters));
        var random = new Random(index + 11);
        float[] x = TestData.Uniform(random, batch * g.InputLength), w = TestData.Uniform(random, g.WindowLength * filters);
        float[] bias = TestData.Uniform(random, filters);
        int convLength = batch * g.OutputPixels * filters, outputs = batch * pool.OutputPixels * filters;
        foreach (SimdTier tier in s_tiers)
        {
            using var scope = new TierScope(tier);
            float[] z = new float[convLength], a = new float[convLength], separate = new float[outputs];
            int[] argmax = new int[outputs];
            Conv2D.ForwardBiasRelu(x, w, bias, z, a, new float[Conv2D.ScratchLength(in g, filters, batch)], in g, filters, batch);
            MaxPooling2D.Forward(a, separate, argmax, in pool, batch);

            // Longer buffers filled with garbage: only the leading elements may be written.
            float[] pooled = TestData.Padded([], outputs + 1, 77f), winners = TestData.Padded([], outputs + 1, 88f);
            Conv2D.ForwardBiasReluMaxPool(x, w, bias, pooled, winners, in g, in pool, filters, batch);
            Assert.Equal(77f, pooled[^1]);
            Assert.Equal(88f, winners[^1]);
            Assert.Equal(separate, pooled[..outputs]);
            for (int i = 0; i < outputs; i++)
            {
                Assert.Equal(argmax[i], WinnerIndex(i, (int)winners[i], g, pool, filters));
            }

            // Inference keeps no winners and gives the same outputs.
            float[] inferred = new float[outputs];
            Conv2D.ForwardBiasReluMaxPool(x, w, bias, inferred, default, in g, in pool, filters, batch);
            Assert.Equal(separate, inferred);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_backward_pass_matches_the_reference_and_gives_the_same_bits_on_every_tier(int index)
    {
        (Conv2DGeometry g, int filters, int batch) = Pairs[index];
        Conv2DGeometry pool = PoolOf(g, filters);
        var random = new Random(index + 29);
        float[] x = TestData.Uniform(random, batch * g.InputLength), w = TestData.Uniform(random, g.WindowLength * filters);
        float[] bias = TestData.Uniform(random, filters), dy = TestData.Uniform(random, batch * pool.OutputPixels * filters);
        int outputs = dy.Length, convLength = batch * g.OutputPixels * filters;
        float[] pooled = new float[outputs], winners = new float[outputs];
        Conv2D.ForwardBiasReluMaxPool(x, w, bias, pooled, winners, in g, in pool, filters, batch);
        Assert.Contains(pooled, v => v == 0f); // some windows are all negative: ReLU's derivative is exercised
        Assert.Contains(pooled, v => v > 0f);

        // The reference: dz = dy at each window's winner where the pooled value is positive, 0 elsewhere.
        double[] dz = new double[convLength], magnitude = new double[convLength];
        double[] db = new double[filters], dbMagnitude = new double[filters];
        for (int i = 0; i < outputs; i++)
        {
            if (pooled[i] > 0f)
            {
                int at = WinnerIndex(i, (int)winners[i], g, pool, filters);
                dz[at] = dy[i];
                magnitude[at] = Math.Abs(dy[i]);
                db[i % filters] += dy[i];
                dbMagnitude[i % filters] += Math.Abs(dy[i]);
            }
        }

        double[] xd = ConvolutionCases.ToDouble(x), dw = new double[w.Length], dwMagnitude = new double[w.Length];
        ConvolutionReference.Conv2DBackward(xd, ConvolutionCases.ToDouble(w), dz, dw, default, g, filters, batch);
        ConvolutionReference.Conv2DBackward(ConvolutionCases.Abs(xd), ConvolutionCases.ToDouble(w), magnitude, dwMagnitude, default, g, filters, batch);
        int terms = 4 * batch * pool.OutputPixels;

        (float[] Dw, float[] Db)? first = null;
        foreach (SimdTier tier in s_tiers)
        {
            using var scope = new TierScope(tier);
            float[] kernelGradient = TestData.Padded([], w.Length, float.NaN), biasGradient = TestData.Padded([], filters, float.NaN);
            float[] scratch = TestData.Padded([], Conv2D.MaxPooledScratchLength(in g, filters), float.NaN);
            Conv2D.BackwardBiasReluMaxPool(x, pooled, winners, dy, kernelGradient, biasGradient, scratch, in g, in pool, filters, batch);
            ConvolutionCases.AssertWithinSumBound(kernelGradient, dw, dwMagnitude, terms, $"{tier} case {index} dW");
            ConvolutionCases.AssertWithinSumBound(biasGradient, db, dbMagnitude, terms, $"{tier} case {index} db");
            first ??= (kernelGradient, biasGradient);
            Assert.Equal(first.Value.Dw, kernelGradient);
            Assert.Equal(first.Value.Db, biasGradient);
        }
    }

    [Fact]
    public void Pairs_the_fused_pass_does_not_take_are_refused_by_name()
    {
        Conv2DGeometry conv = Conv2DGeometry.Valid(28, 28, 1, 3, 3, 1, 1);
        Assert.False(Conv2D.FusesMaxPooling(in conv, Conv2DGeometry.Valid(26, 26, 32, 3, 3, 2, 2), 32), "3×3 pooling");
        Assert.False(Conv2D.FusesMaxPooling(in conv, Conv2DGeometry.Same(26, 26, 32, 2, 2, 2, 2), 16), "pooling of other channels");
        Assert.False(Conv2D.FusesMaxPooling(Conv2DGeometry.Same(28, 28, 1, 3, 3, 1, 1), Conv2DGeometry.Valid(28, 28, 32, 2, 2, 2, 2), 32), "padded conv");
        Conv2DGeometry wide = Conv2DGeometry.Valid(13, 13, 32, 3, 3, 1, 1);
        Conv2DGeometry pool = Conv2DGeometry.Valid(11, 11, 64, 2, 2, 2, 2);
        Assert.False(Conv2D.FusesMaxPooling(in wide, in pool, 64), "a 288-deep window goes to Gemm");
        ArgumentException refused = Assert.Throws<ArgumentException>(() => Conv2D.ForwardBiasReluMaxPool(
            new float[wide.InputLength], new float[288 * 64], new float[64], new float[pool.OutputPixels * 64], default, in wide, in pool, 64, 1));
        Assert.Equal("pool", refused.ParamName);
        Assert.Contains("3×3×32 convolution", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_buffers_are_named()
    {
        Conv2DGeometry g = Conv2DGeometry.Valid(8, 8, 1, 3, 3, 1, 1);
        Conv2DGeometry pool = PoolOf(g, 4);
        float[] x = new float[g.InputLength], w = new float[36], b = new float[4], y = new float[pool.OutputPixels * 4];
        Assert.Equal("winners", Assert.Throws<ArgumentException>(
            () => Conv2D.ForwardBiasReluMaxPool(x, w, b, y, new float[y.Length - 1], in g, in pool, 4, 1)).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(
            () => Conv2D.BackwardBiasReluMaxPool(x, y, y, y, new float[36], new float[4], new float[1], in g, in pool, 4, 1)).ParamName);
        Assert.Equal("biasGradient", Assert.Throws<ArgumentException>(
            () => Conv2D.BackwardBiasReluMaxPool(x, y, y, y, new float[36], new float[3], new float[200], in g, in pool, 4, 1)).ParamName);
    }

    /// <summary>The 2×2/2 pooling of <paramref name="conv"/>'s output.</summary>
    internal static Conv2DGeometry PoolOf(Conv2DGeometry conv, int filters) =>
        Conv2DGeometry.Valid(conv.OutputHeight, conv.OutputWidth, filters, 2, 2, 2, 2);

    /// <summary>The flat index into the convolution's output of pooled output <paramref name="i"/>'s window cell <paramref name="q"/>.</summary>
    internal static int WinnerIndex(int i, int q, Conv2DGeometry conv, Conv2DGeometry pool, int filters)
    {
        Assert.InRange(q, 0, 3);
        int f = i % filters, pixel = i / filters, b = pixel / pool.OutputPixels;
        int py = pixel % pool.OutputPixels / pool.OutputWidth, px = pixel % pool.OutputWidth;
        int oy = (2 * py) + (q >> 1), ox = (2 * px) + (q & 1);
        return ((((b * conv.OutputHeight) + oy) * conv.OutputWidth) + ox) * filters + f;
    }
}
