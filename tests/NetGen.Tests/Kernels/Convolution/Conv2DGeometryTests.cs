using System;
using FsCheck;
using FsCheck.Fluent;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>The output-size and padding arithmetic of Keras/TF 'valid' and 'same'.</summary>
public sealed class Conv2DGeometryTests
{
    [Theory]
    [InlineData(28, 3, 1, 26)]
    [InlineData(26, 2, 2, 13)]
    [InlineData(11, 2, 2, 5)]
    [InlineData(10, 3, 3, 3)]
    [InlineData(3, 3, 1, 1)]
    public void Valid_output_is_floor_of_input_minus_window_over_stride_plus_one(int input, int window, int stride, int output)
    {
        Conv2DGeometry g = Conv2DGeometry.Valid(input, input + 1, 2, window, window, stride, stride);
        Assert.Equal((output, 0, 0), (g.OutputHeight, g.PadTop, g.PadLeft));
    }

    [Theory]
    [InlineData(5, 3, 1, 5, 1)]     // total 2: one each side
    [InlineData(5, 2, 2, 3, 0)]     // total 1: bottom only
    [InlineData(6, 3, 2, 3, 0)]     // total 1: bottom only
    [InlineData(7, 4, 3, 3, 1)]     // total 3: top 1, bottom 2
    [InlineData(4, 1, 3, 2, 0)]     // 1×1 windows never pad
    public void Same_output_is_ceil_of_input_over_stride_with_the_extra_pad_at_the_bottom(int input, int window, int stride, int output, int padTop)
    {
        Conv2DGeometry g = Conv2DGeometry.Same(input, input, 1, window, window, stride, stride);
        Assert.Equal((output, padTop, output, padTop), (g.OutputHeight, g.PadTop, g.OutputWidth, g.PadLeft));
    }

    [Fact]
    public void Same_geometry_is_always_consistent() =>
        Prop.ForAll(
            Gen.Choose(1, 40).ToArbitrary(), Gen.Choose(1, 7).ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(),
            (input, window, stride) =>
            {
                Conv2DGeometry g = Conv2DGeometry.Same(input, input, 1, window, window, stride, stride);
                g.Validate();
                int total = Math.Max(((g.OutputHeight - 1) * stride) + window - input, 0);
                return g.OutputHeight == (input + stride - 1) / stride && g.PadTop == total / 2;
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_window_larger_than_an_unpadded_input_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2DGeometry.Valid(2, 2, 1, 3, 3, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2DGeometry.Same(4, 4, 1, 3, 3, 0, 1));
    }
}
