using System;
using System.Linq;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

public class DropoutMaskTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    [InlineData(0.999f)]
    public void Masks_keep_exactly_the_units_whose_draw_is_at_least_the_rate(float rate)
    {
        const int n = 10_000;
        var x = Enumerable.Range(0, n).Select(i => 1f + i).ToArray();
        var y = new float[n];
        var mask = new float[n];
        Dropout.Forward(x, y, mask, rate, new Rng(11));

        var reference = new Rng(11);
        float scale = 1f / (1f - rate);
        for (int i = 0; i < n; i++)
        {
            float expected = reference.NextSingle() >= rate ? scale : 0f;
            Assert.Equal(expected, mask[i]);
            Assert.Equal(x[i] * expected, y[i]);
        }

        Assert.InRange(mask.Count(m => m == 0f) / (double)n, rate - 0.03, rate + 0.03);
    }

    [Fact]
    public void Invalid_rates_and_short_buffers_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(new float[4], new float[4], new float[4], 1f, new Rng(1)));
        Assert.Throws<ArgumentException>(() => Dropout.Forward(new float[4], new float[4], new float[3], 0.5f, new Rng(1)));
    }
}
