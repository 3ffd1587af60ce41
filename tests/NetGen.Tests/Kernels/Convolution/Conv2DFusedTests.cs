using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// <see cref="Conv2D.ForwardBiasRelu"/> and <see cref="Conv2D.ForwardBiasLeakyRelu"/> over
/// <see cref="ConvolutionCases.Convolutions"/> on every SIMD tier: against the double reference (z + bias, then the
/// activation), and bit for bit against the separate calls they replace (<see cref="Conv2D.Forward"/> then
/// <see cref="BiasActivation"/>), so switching the generated code to them changes no result.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class Conv2DFusedTests
{
    public static TheoryData<WindowCase> Cases => ConvolutionCases.ConvolutionData;

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fused_bias_and_activation_match_the_reference_and_the_separate_calls_on_every_tier(WindowCase shape)
    {
        (Conv2DGeometry g, int filters, int batch) = shape;
        var random = new Random(g.GetHashCode() + 1);
        float[] x = TestData.Uniform(random, batch * g.InputLength);
        float[] w = TestData.Uniform(random, g.WindowLength * filters);
        float[] bias = TestData.Uniform(random, filters);
        int rows = batch * g.OutputPixels, length = rows * filters;
        double[] xd = ConvolutionCases.ToDouble(x), wd = ConvolutionCases.ToDouble(w);
        double[] z = new double[length], magnitude = new double[length];
        ConvolutionReference.Conv2DForward(xd, wd, z, g, filters, batch);
        ConvolutionReference.Conv2DForward(ConvolutionCases.Abs(xd), ConvolutionCases.Abs(wd), magnitude, g, filters, batch);
        for (int i = 0; i < length; i++)
        {
            z[i] += bias[i % filters];
            magnitude[i] += Math.Abs(bias[i % filters]);
        }

        const float alpha = 0.3f;
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            using var scope = new TierScope(tier);
            float[] scratch = TestData.Padded([], Conv2D.ScratchLength(in g, filters, batch), float.NaN);

            // The separate calls the fused ones replace.
            float[] separateZ = new float[length], separateA = new float[length], separateLeakyZ = new float[length], separateLeaky = new float[length];
            Conv2D.Forward(x, w, separateZ, scratch, in g, filters, batch);
            Array.Copy(separateZ, separateLeakyZ, length);
            BiasActivation.AddBiasRelu(separateZ, bias, separateA, rows);
            BiasActivation.AddBiasLeakyRelu(separateLeakyZ, bias, alpha, separateLeaky, rows);

            // Buffers longer than needed, filled with garbage: only the leading elements may be written.
            float[] fusedZ = TestData.Padded([], length + 2, 77f), fusedA = TestData.Padded([], length + 2, 88f);
            Conv2D.ForwardBiasRelu(TestData.Padded(x, 3, float.NaN), w, bias, fusedZ, fusedA, scratch, in g, filters, batch);
            Assert.Equal(77f, fusedZ[^1]);
            Assert.Equal(88f, fusedA[^1]);
            Array.Resize(ref fusedZ, length);
            Array.Resize(ref fusedA, length);
            ConvolutionCases.AssertWithinSumBound(fusedZ, z, magnitude, g.WindowLength + 1, $"{tier} {shape} z + bias");
            Assert.Equal(separateZ, fusedZ);
            Assert.Equal(separateA, fusedA);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(Math.Max(fusedZ[i], 0f), fusedA[i]);
            }

            float[] leakyZ = new float[length], leaky = new float[length];
            Conv2D.ForwardBiasLeakyRelu(x, w, bias, alpha, leakyZ, leaky, scratch, in g, filters, batch);
            Assert.Equal(separateLeakyZ, leakyZ);
            Assert.Equal(separateLeaky, leaky);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(leakyZ[i] > 0 ? leakyZ[i] : alpha * leakyZ[i], leaky[i]);
            }

            // In place: the activation overwrites z, as a layer that keeps only its output would call it.
            float[] inPlace = new float[length];
            Conv2D.ForwardBiasRelu(x, w, bias, inPlace, inPlace, scratch, in g, filters, batch);
            Assert.Equal(separateA, inPlace);
        }
    }

    [Fact]
    public void Short_windows_that_stay_inside_the_input_take_the_direct_forward_pass()
    {
        // The cases above include each of these, so the direct pass is checked against the reference on every tier.
        Assert.True(Conv2D.IsDirect(Conv2DGeometry.Valid(28, 28, 1, 3, 3, 1, 1)));
        Assert.True(Conv2D.IsDirect(Conv2DGeometry.Valid(9, 8, 3, 3, 3, 1, 2)));
        Assert.True(Conv2D.IsDirect(Conv2DGeometry.Valid(10, 11, 3, 3, 2, 3, 3)));
        Assert.False(Conv2D.IsDirect(Conv2DGeometry.Valid(13, 13, 32, 3, 3, 1, 1)), "K = 288 goes to Gemm");
        Assert.False(Conv2D.IsDirect(Conv2DGeometry.Same(7, 7, 1, 3, 3, 1, 1)), "padding cells would be read");
        Assert.False(Conv2D.IsDirect(Conv2DGeometry.Same(8, 9, 2, 3, 3, 2, 2)), "the last window reaches past the bottom");
    }

    [Fact]
    public void A_short_bias_or_activation_is_named()
    {
        Conv2DGeometry g = Conv2DGeometry.Valid(5, 5, 2, 3, 3, 1, 1);
        float[] x = new float[g.InputLength], w = new float[g.WindowLength * 4], z = new float[g.OutputPixels * 4];
        float[] scratch = new float[Conv2D.ScratchLength(in g, 4, 1)];
        ArgumentException bias = Assert.Throws<ArgumentException>(
            () => Conv2D.ForwardBiasRelu(x, w, new float[3], z, new float[z.Length], scratch, in g, 4, 1));
        Assert.Equal("bias", bias.ParamName);
        ArgumentException activation = Assert.Throws<ArgumentException>(
            () => Conv2D.ForwardBiasLeakyRelu(x, w, new float[4], 0.2f, z, new float[z.Length - 1], scratch, in g, 4, 1));
        Assert.Equal("activation", activation.ParamName);
    }
}
