using System;
using NetGen.Optimizers;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// Adam, RMSprop and Adagrad leave a tiny gradient's g² out of their running sums, so that the multiplication never
/// produces a slow subnormal number (<see cref="Optimizer.SquareCutoff"/>). That must not change a single bit of the
/// sums: each is checked against the rule computed plainly in IEEE float, every g² included, then floored.
/// </summary>
public class SquareCutoffTests
{
    public static TheoryData<string, int> Configurations()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { "adam", "rmsprop", "rmsprop-centered", "adagrad" })
        {
            data.Add(name, 1003);   // the vector loops and a scalar tail
            data.Add(name, 40_000); // updated in slices on several threads
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Tiny_gradients_leave_the_running_sum_bit_for_bit_as_plain_arithmetic_gives_it(string name, int length)
    {
        // The slot holding the sum: Adam's are m, v; RMSprop's v first; Adagrad's the accumulator.
        (Optimizer optimizer, int slot, float decay, float coefficient, float floor, float start) = name switch
        {
            "adam" => ((Optimizer)new Adam(), 1, 0.999f, 1f - 0.999f, 1e-30f, 0f),
            "rmsprop" => (new RmsProp(), 0, 0.9f, 1f - 0.9f, 1e-30f, 0f),
            "rmsprop-centered" => (new RmsProp(centered: true), 0, 0.9f, 1f - 0.9f, 1e-30f, 0f),
            _ => (new Adagrad(), 0, 1f, 1f, 0f, 0.1f),
        };

        // Sums held near the floor (1e-30) by every third gradient; the rest spread over
        // [1e-21, 1e-17], so c·g² falls on both sides of the smallest normal float (1.2e-38) and of half an ulp of the
        // sum. A cutoff three times too high drops terms that do change the last bits of some sums.
        var rng = new Random(11);
        var p = new float[length];
        var expected = new float[length];
        expected.AsSpan().Fill(start);
        int belowCutoff = 0;
        for (int step = 0; step < 12; step++)
        {
            float[] g = new float[length];
            for (int i = 0; i < length; i++)
            {
                // Now and then a gradient that keeps the sum near the floor, where an ulp is smallest.
                double exponent = step == 0 || rng.Next(3) == 0
                    ? 0.5 * (-30.5 + (2 * rng.NextDouble()) - Math.Log10(coefficient)) // c·g² in [1e-30.5, 1e-28.5]
                    : -21 + (4 * rng.NextDouble());
                g[i] = (float)(Math.Pow(10, exponent) * (rng.Next(2) == 0 ? 1 : -1));
                if (i % 97 == 0)
                {
                    g[i] = 0f;
                }

                float sum = (decay * expected[i]) + (coefficient * g[i] * g[i]);
                expected[i] = sum < floor ? 0f : sum;
                belowCutoff += float.IsSubnormal(coefficient * g[i] * g[i]) ? 1 : 0;
            }

            optimizer.Step(p, g);
        }

        float[] actual = optimizer.StateSlots[slot];
        for (int i = 0; i < length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{name}: sum {i} is {actual[i]:R}, plain arithmetic gives {expected[i]:R}");
        }

        // The data did exercise the cutoff, and decaying sums did not all collapse to 0 (or all stay large).
        Assert.True(belowCutoff > length, $"only {belowCutoff} subnormal g² terms");
        if (start == 0f)
        {
            Assert.Contains(actual, v => v > 0f && v < 1e-25f);
        }
    }

    [Fact]
    public void The_cutoff_is_off_where_leaving_a_term_out_could_change_the_sum()
    {
        float adam = Optimizer.SquareCutoff(0.001f, 0.999f * 1e-30f, 1e-30f);
        Assert.InRange(adam, 3.4e-18f, 3.43e-18f); // √(2⁻¹²⁶ / 0.001), less a margin
        Assert.True((0.001f * adam) * adam < 1.17549435e-38f);

        Assert.Equal(0f, Optimizer.SquareCutoff(0.1f, 1e-32f, 1e-30f));       // a decayed sum where 2⁻¹²⁶ is over half an ulp
        Assert.Equal(0f, Optimizer.SquareCutoff(0.1f, 1e-30f, 1e-42f));       // a tiny ε: subnormal sums are kept, not floored
        Assert.Equal(0f, Optimizer.SquareCutoff(1f, 0f, 0f));                 // Adagrad starting from 0
        Assert.True(Optimizer.SquareCutoff(1f, 0.1f, float.PositiveInfinity) > 1e-19f);
    }
}
