using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// Conv2D forward and backward against the double reference twin over <see cref="ConvolutionCases.Convolutions"/>, on
/// every SIMD tier; every tier must give the same bits. Each output is a sum of K products (K = kh·kw·cin for z and
/// dx's windows, batch·oh·ow for dW), so it may differ from the reference by about K·u·Σ|terms|.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class Conv2DTests
{
    public static TheoryData<WindowCase> Cases => ConvolutionCases.ConvolutionData;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_the_reference_on_every_tier(WindowCase shape)
    {
        (Conv2DGeometry g, int filters, int batch) = shape;
        var random = new Random(g.GetHashCode());
        float[] x = TestData.Uniform(random, batch * g.InputLength);
        float[] w = TestData.Uniform(random, g.WindowLength * filters);
        float[] dz = TestData.Uniform(random, batch * g.OutputPixels * filters);
        double[] xd = ConvolutionCases.ToDouble(x), wd = ConvolutionCases.ToDouble(w), dzd = ConvolutionCases.ToDouble(dz);

        double[] z = new double[dz.Length], zMagnitude = new double[dz.Length];
        ConvolutionReference.Conv2DForward(xd, wd, z, g, filters, batch);
        ConvolutionReference.Conv2DForward(ConvolutionCases.Abs(xd), ConvolutionCases.Abs(wd), zMagnitude, g, filters, batch);
        double[] dw = new double[w.Length], dx = new double[x.Length], dwMagnitude = new double[w.Length], dxMagnitude = new double[x.Length];
        ConvolutionReference.Conv2DBackward(xd, wd, dzd, dw, dx, g, filters, batch);
        ConvolutionReference.Conv2DBackward(
            ConvolutionCases.Abs(xd), ConvolutionCases.Abs(wd), ConvolutionCases.Abs(dzd), dwMagnitude, dxMagnitude, g, filters, batch);

        float[]? firstZ = null, firstDw = null, firstDx = null;
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            using var scope = new TierScope(tier);

            // Buffers longer than needed, filled with garbage: only the leading elements may be read or written.
            float[] scratch = TestData.Padded([], Conv2D.ScratchLength(in g, filters, batch) + 3, float.NaN);
            float[] actualZ = TestData.Padded([], dz.Length + 2, 77f);
            Conv2D.Forward(TestData.Padded(x, 3, float.NaN), w, actualZ, scratch, in g, filters, batch);
            Assert.Equal(77f, actualZ[^1]);
            Array.Resize(ref actualZ, dz.Length);
            ConvolutionCases.AssertWithinSumBound(actualZ, z, zMagnitude, g.WindowLength, $"{tier} {shape} z");

            float[] actualDw = TestData.Padded([], w.Length, 5f), actualDx = TestData.Padded([], x.Length + 1, 66f);
            Conv2D.Backward(x, w, dz, actualDw, actualDx, scratch, in g, filters, batch);
            Assert.Equal(66f, actualDx[^1]);
            Array.Resize(ref actualDx, x.Length);
            ConvolutionCases.AssertWithinSumBound(actualDw, dw, dwMagnitude, batch * g.OutputPixels, $"{tier} {shape} dW");
            ConvolutionCases.AssertWithinSumBound(actualDx, dx, dxMagnitude, g.WindowLength * filters, $"{tier} {shape} dx");

            // Without dx (a first layer) dW is the same, and nothing else is touched.
            float[] onlyDw = new float[w.Length];
            Conv2D.Backward(x, w, dz, onlyDw, Span<float>.Empty, scratch, in g, filters, batch);
            Assert.Equal(actualDw, onlyDw);

            firstZ ??= actualZ;
            firstDw ??= actualDw;
            firstDx ??= actualDx;
            Assert.Equal(firstZ, actualZ);
            Assert.Equal(firstDw, actualDw);
            Assert.Equal(firstDx, actualDx);
        }
    }

    [Fact]
    public void A_known_same_convolution_pads_bottom_and_right()
    {
        // 2×2 input, 2×2 kernel, 'same': total padding 1 per dimension, all of it bottom/right (TF's rule).
        Conv2DGeometry g = Conv2DGeometry.Same(2, 2, 1, 2, 2, 1, 1);
        Assert.Equal((0, 0, 2, 2), (g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth));
        float[] x = [1, 2, 3, 4], w = [1, 10, 100, 1000], z = new float[4];
        Conv2D.Forward(x, w, z, new float[Conv2D.ScratchLength(in g, 1, 1)], in g, filters: 1, batch: 1);
        Assert.Equal([1 + 20 + 300 + 4000, 2 + 400, 3 + 40, 4], z);
    }

    [Fact]
    public void Short_buffers_and_inconsistent_geometry_are_named()
    {
        Conv2DGeometry g = Conv2DGeometry.Valid(4, 4, 2, 3, 3, 1, 1);
        float[] x = new float[g.InputLength], w = new float[g.WindowLength * 3], z = new float[g.OutputPixels * 3];
        float[] scratch = new float[Conv2D.ScratchLength(in g, 3, 1)];
        ArgumentException e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(x, w.AsSpan(1), z, scratch, in g, 3, 1));
        Assert.Equal("kernel", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(x, w, z, scratch.AsSpan(1), in g, 3, 1));
        Assert.Equal("scratch", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Conv2D.Backward(x, w, z, new float[w.Length - 1], x, scratch, in g, 3, 1));
        Assert.Equal("kernelGradient", e.ParamName);
        Conv2DGeometry wrong = g with { OutputHeight = 5 };
        Assert.Throws<ArgumentException>(() => Conv2D.Forward(x, w, new float[100], new float[1000], in wrong, 3, 1));
    }
}
