using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// Max, average and global average pooling against the double reference twin over <see cref="ConvolutionCases.Pools"/>
/// on every SIMD tier. Max pooling only selects, so it must match exactly (values and argmax); averages are a short
/// sum and a division, within the sum bound; every tier must give the same bits.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class PoolingTests
{
    private static readonly SimdTier[] s_tiers = [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    public static TheoryData<WindowCase> Cases => ConvolutionCases.PoolData;

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxPooling_matches_the_reference_on_every_tier(WindowCase shape)
    {
        (Conv2DGeometry g, _, int batch) = shape;
        var random = new Random(g.GetHashCode());
        int outputs = batch * g.OutputPixels * g.Channels;

        // Few distinct values, so windows have ties: the first cell in window order must win.
        float[] x = Enumerable.Range(0, batch * g.InputLength).Select(_ => (float)random.Next(-3, 4)).ToArray();
        float[] dy = TestData.Uniform(random, outputs);
        double[] y = new double[outputs], dx = new double[x.Length], dxMagnitude = new double[x.Length];
        int[] argmax = new int[outputs];
        ConvolutionReference.MaxPoolForward(ConvolutionCases.ToDouble(x), y, argmax, g, batch);
        ConvolutionReference.MaxPoolBackward(ConvolutionCases.ToDouble(dy), argmax, dx, g, batch);
        ConvolutionReference.MaxPoolBackward(ConvolutionCases.Abs(ConvolutionCases.ToDouble(dy)), argmax, dxMagnitude, g, batch);
        float[]? firstDx = null;

        foreach (SimdTier tier in s_tiers)
        {
            using var scope = new TierScope(tier);
            float[] actualY = new float[outputs + 1];
            int[] actualArgmax = new int[outputs + 1];
            actualArgmax[^1] = -7;
            MaxPooling2D.Forward(x, actualY, actualArgmax, in g, batch);
            Assert.Equal(-7, actualArgmax[^1]);
            Assert.Equal(argmax, actualArgmax[..outputs]);
            Assert.Equal(y.Select(v => (float)v), actualY[..outputs]);

            float[] actualDx = TestData.Padded([], x.Length, 9f);
            MaxPooling2D.Backward(dy, actualArgmax, actualDx, in g, batch);

            // Overlapping windows can route several gradients to one cell: a short float sum.
            ConvolutionCases.AssertWithinSumBound(actualDx, dx, dxMagnitude, g.WindowHeight * g.WindowWidth, $"{tier} {shape} dx");
            firstDx ??= actualDx;
            Assert.Equal(firstDx, actualDx);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePooling_matches_the_reference_on_every_tier(WindowCase shape)
    {
        (Conv2DGeometry g, _, int batch) = shape;
        var random = new Random(g.GetHashCode() + 1);
        int outputs = batch * g.OutputPixels * g.Channels;
        float[] x = TestData.Uniform(random, batch * g.InputLength), dy = TestData.Uniform(random, outputs);
        double[] xd = ConvolutionCases.ToDouble(x), dyd = ConvolutionCases.ToDouble(dy);
        double[] y = new double[outputs], yMagnitude = new double[outputs], dx = new double[x.Length], dxMagnitude = new double[x.Length];
        ConvolutionReference.AveragePoolForward(xd, y, g, batch);
        ConvolutionReference.AveragePoolForward(ConvolutionCases.Abs(xd), yMagnitude, g, batch);
        ConvolutionReference.AveragePoolBackward(dyd, dx, g, batch);
        ConvolutionReference.AveragePoolBackward(ConvolutionCases.Abs(dyd), dxMagnitude, g, batch);

        float[]? firstY = null, firstDx = null;
        int windowCells = g.WindowHeight * g.WindowWidth;
        foreach (SimdTier tier in s_tiers)
        {
            using var scope = new TierScope(tier);
            float[] actualY = new float[outputs];
            AveragePooling2D.Forward(x, actualY, in g, batch);
            ConvolutionCases.AssertWithinSumBound(actualY, y, yMagnitude, windowCells, $"{tier} {shape} y");
            float[] actualDx = TestData.Padded([], x.Length, 9f);
            AveragePooling2D.Backward(dy, actualDx, in g, batch);
            ConvolutionCases.AssertWithinSumBound(actualDx, dx, dxMagnitude, windowCells, $"{tier} {shape} dx");
            firstY ??= actualY;
            firstDx ??= actualDx;
            Assert.Equal(firstY, actualY);
            Assert.Equal(firstDx, actualDx);
        }
    }

    [Fact]
    public void AveragePooling_leaves_padded_cells_out_of_the_count()
    {
        // 3×3 input of ones, 2×2 'same' stride 2: windows at the bottom/right edge cover 2 or 1 cells; all average 1.
        Conv2DGeometry g = Conv2DGeometry.Same(3, 3, 1, 2, 2, 2, 2);
        float[] y = new float[4];
        AveragePooling2D.Forward(Enumerable.Repeat(1f, 9).ToArray(), y, in g, 1);
        Assert.Equal([1f, 1f, 1f, 1f], y);
        float[] dx = new float[9];
        AveragePooling2D.Backward([4f, 4f, 4f, 4f], dx, in g, 1);
        Assert.Equal([1f, 1f, 2f, 1f, 1f, 2f, 2f, 2f, 4f], dx);
    }

    [Fact]
    public void MaxPooling_picks_a_cell_of_its_window_no_smaller_than_any_other() =>
        Prop.ForAll(
            (from size in Gen.Choose(1, 9) from window in Gen.Choose(1, 3) from stride in Gen.Choose(1, 3) from channels in Gen.Choose(1, 20)
             select (size, window, stride, channels)).ToArbitrary(),
            shape =>
            {
                (int size, int window, int stride, int channels) = shape;
                Conv2DGeometry g = Conv2DGeometry.Same(size, size + 1, channels, window, window, stride, stride);
                var random = new Random((size * 1000) + (window * 100) + (stride * 10) + channels);
                float[] x = TestData.Uniform(random, g.InputLength);
                float[] y = new float[g.OutputPixels * channels];
                int[] argmax = new int[y.Length];
                MaxPooling2D.Forward(x, y, argmax, in g, 1);
                for (int i = 0; i < y.Length; i++)
                {
                    int pixel = i / channels, c = i % channels, oy = pixel / g.OutputWidth, ox = pixel % g.OutputWidth;
                    (int y0, int y1) = (Math.Max(0, (oy * stride) - g.PadTop), Math.Min(size, (oy * stride) - g.PadTop + window));
                    (int x0, int x1) = (Math.Max(0, (ox * stride) - g.PadLeft), Math.Min(size + 1, (ox * stride) - g.PadLeft + window));
                    int cell = argmax[i] / channels, iy = cell / (size + 1), ix = cell % (size + 1);
                    if (argmax[i] % channels != c || iy < y0 || iy >= y1 || ix < x0 || ix >= x1 || x[argmax[i]] != y[i])
                    {
                        return false;
                    }

                    for (int yy = y0; yy < y1; yy++)
                    {
                        for (int xx = x0; xx < x1; xx++)
                        {
                            if (x[(((yy * (size + 1)) + xx) * channels) + c] > y[i])
                            {
                                return false;
                            }
                        }
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 3, 2)]
    [InlineData(121, 64, 3)]
    [InlineData(7, 37, 1)]
    public void GlobalAveragePooling_matches_the_reference_on_every_tier(int pixels, int channels, int batch)
    {
        var random = new Random((pixels * 100) + channels);
        float[] x = TestData.Uniform(random, batch * pixels * channels), dy = TestData.Uniform(random, batch * channels);
        double[] xd = ConvolutionCases.ToDouble(x);
        double[] y = new double[dy.Length], magnitude = new double[dy.Length], dx = new double[x.Length];
        ConvolutionReference.GlobalAveragePoolForward(xd, y, pixels, channels, batch);
        ConvolutionReference.GlobalAveragePoolForward(ConvolutionCases.Abs(xd), magnitude, pixels, channels, batch);
        ConvolutionReference.GlobalAveragePoolBackward(ConvolutionCases.ToDouble(dy), dx, pixels, channels, batch);
        float[]? first = null;
        foreach (SimdTier tier in s_tiers)
        {
            using var scope = new TierScope(tier);
            float[] actualY = new float[dy.Length], actualDx = new float[x.Length];
            GlobalAveragePooling2D.Forward(x, actualY, pixels, channels, batch);
            ConvolutionCases.AssertWithinSumBound(actualY, y, magnitude, pixels, $"{tier} y");
            GlobalAveragePooling2D.Backward(dy, actualDx, pixels, channels, batch);
            Assert.Equal(dx.Select(v => (float)v), actualDx); // one correctly rounded division each
            first ??= actualY;
            Assert.Equal(first, actualY);
        }
    }

    [Fact]
    public void MaxPooling_backward_refuses_an_argmax_outside_the_input()
    {
        Conv2DGeometry g = Conv2DGeometry.Valid(2, 2, 1, 2, 2, 2, 2);
        ArgumentException e = Assert.Throws<ArgumentException>(() => MaxPooling2D.Backward([1f], [4], new float[4], in g, 1));
        Assert.Equal("argmax", e.ParamName);
    }
}
