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
    public void A_mask_advances_the_generator_past_its_draws()
    {
        // Two masks in a row must be the next 2·n numbers of the sequence, not the same n twice; the mask loop
        // draws from a copy of the generator's state and must write it back.
        const int n = 100;
        var rng = new Rng(12);
        var first = new float[n];
        var second = new float[n];
        Dropout.Forward(new float[n], new float[n], first, 0.5f, rng);
        Dropout.Forward(new float[n], new float[n], second, 0.5f, rng);
        float next = rng.NextSingle();

        var reference = new Rng(12);
        for (int i = 0; i < 2 * n; i++)
        {
            Assert.Equal(reference.NextSingle() >= 0.5f ? 2f : 0f, i < n ? first[i] : second[i - n]);
        }

        Assert.Equal(reference.NextSingle(), next);
    }

    [Fact]
    public void Invalid_rates_and_short_buffers_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(new float[4], new float[4], new float[4], 1f, new Rng(1)));
        Assert.Throws<ArgumentException>(() => Dropout.Forward(new float[4], new float[4], new float[3], 0.5f, new Rng(1)));
    }
}
