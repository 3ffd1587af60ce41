using System;
using System.Linq;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

public class DropoutMaskTests
{
    [Theory]
    [InlineData(0f, 10_000)]
    [InlineData(0.1f, 10_000)]
    [InlineData(0.3f, 10_000)]
    [InlineData(0.5f, 9_997)]
    [InlineData(0.999f, 10_000)]
    public void Masks_keep_exactly_the_units_whose_draw_is_at_least_the_rate(float rate, int n)
    {
        var x = Enumerable.Range(0, n).Select(i => 1f + i).ToArray();
        var y = new float[n];
        var mask = new float[n];
        Dropout.Forward(x, y, mask, rate, new Rng(11));

        var reference = new LaneReference(new Rng(11));
        float scale = 1f / (1f - rate);
        for (int i = 0; i < n; i++)
        {
            float expected = reference.NextSingle(i % 8) >= rate ? scale : 0f;
            Assert.Equal(expected, mask[i]);
            Assert.Equal(x[i] * expected, y[i]);
        }

        Assert.InRange(mask.Count(m => m == 0f) / (double)n, rate - 0.03, rate + 0.03);
    }

    [Fact]
    public void A_mask_advances_the_generator_past_its_draws()
    {
        // A second mask continues each lane where the first left it (the first's 13th..16th lanes-worth of a partial
        // draw are dropped): a copy of the lanes' state must be written back after the loop.
        const int n = 100;
        var rng = new Rng(12);
        var first = new float[n];
        var second = new float[n];
        Dropout.Forward(new float[n], new float[n], first, 0.5f, rng);
        Dropout.Forward(new float[n], new float[n], second, 0.5f, rng);

        var reference = new LaneReference(new Rng(12));
        for (int call = 0; call < 2; call++)
        {
            float[] mask = call == 0 ? first : second;
            for (int i = 0; i < 104; i++) // 13 whole draws of 8 lanes, the last one partly used
            {
                float expected = reference.NextSingle(i % 8) >= 0.5f ? 2f : 0f;
                if (i < n)
                {
                    Assert.Equal(expected, mask[i]);
                }
            }
        }
    }

    [Fact]
    public void The_lanes_are_seeded_from_the_generators_own_sequence_then_leave_it_alone()
    {
        // The first mask seeds the lanes from the next 32 numbers; later masks take nothing more from the sequence.
        var rng = new Rng(13);
        Dropout.Forward(new float[16], new float[16], new float[16], 0.5f, rng);
        Dropout.Forward(new float[16], new float[16], new float[16], 0.5f, rng);
        var reference = new Rng(13);
        for (int i = 0; i < 32; i++)
        {
            reference.NextUInt32();
        }

        Assert.Equal(reference.NextUInt32(), rng.NextUInt32());
    }

    /// <summary>The eight lanes as eight scalar xoshiro128** generators, lane l seeded with numbers 4l..4l+3.</summary>
    private sealed class LaneReference
    {
        private readonly Xoshiro128StarStar[] _lanes = new Xoshiro128StarStar[8];

        public LaneReference(Rng source)
        {
            for (int l = 0; l < 8; l++)
            {
                _lanes[l] = new Xoshiro128StarStar { S0 = source.NextUInt32(), S1 = source.NextUInt32(), S2 = source.NextUInt32(), S3 = source.NextUInt32() };
            }
        }

        public float NextSingle(int lane) => (_lanes[lane].Next() >> 8) * (1.0f / (1 << 24));
    }

    [Fact]
    public void Invalid_rates_and_short_buffers_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(new float[4], new float[4], new float[4], 1f, new Rng(1)));
        Assert.Throws<ArgumentException>(() => Dropout.Forward(new float[4], new float[4], new float[3], 0.5f, new Rng(1)));
    }
}
