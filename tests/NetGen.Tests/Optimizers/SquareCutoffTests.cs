using System;
using NetGen.Optimizers;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// Adam, RMSprop and Adagrad leave a tiny gradient's g² out of their running sums, so that the multiplication never
/// produces a slow subnormal number (<see cref="Optimizer.SquareCutoff"/>). That must not change a single bit: every
/// state slot and every parameter is checked against the rule computed plainly in IEEE float, every g² included, in
/// the optimizer's order of operations and with its floors.
/// </summary>
public class SquareCutoffTests
{
    private const float SmallestNormal = 1.17549435e-38f; // 2⁻¹²⁶

    /// <summary>
    /// The settings: defaults, where the sums sit at the 1e-30 floor; settings where the bound is tight (Adam with
    /// ε = 4.5e-10 has a floor of 2.025e-31 and β2 times it just over 2⁻¹⁰², Adagrad starting at 2⁻¹⁰²), so a cutoff
    /// even 2 % too high changes sums; and settings where the cutoff must be off (a tiny ε, a small ρ, Adagrad from 0).
    /// Each names the range the running sums are held in and the coefficient c of g².
    /// </summary>
    public static TheoryData<string, int> Configurations()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[]
        {
            "adam", "adam-tight", "adam-eps-1e-11", "rmsprop", "rmsprop-centered", "rmsprop-momentum", "rmsprop-rho-0.1",
            "adagrad", "adagrad-tight", "adagrad-from-0",
        })
        {
            data.Add(name, 1003);   // the vector loops and a scalar tail (and the scalar loop alone for the first 7)
            data.Add(name, 40_000); // updated in slices on several threads
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Tiny_gradients_leave_every_bit_as_plain_arithmetic_gives_it(string name, int length)
    {
        (Optimizer optimizer, PlainRule rule, double low, double high) = name switch
        {
            "adam" => ((Optimizer)new Adam(), PlainRule.Adam(0.001f, 0.9f, 0.999f, 1e-7f), 1e-30, 1e-28),
            "adam-tight" => (new Adam(epsilon: 4.5e-10f), PlainRule.Adam(0.001f, 0.9f, 0.999f, 4.5e-10f), 2.1e-31, 3.9e-31),
            "adam-eps-1e-11" => (new Adam(epsilon: 1e-11f), PlainRule.Adam(0.001f, 0.9f, 0.999f, 1e-11f), 1e-34, 1e-31),
            "rmsprop" => (new RmsProp(), PlainRule.RmsProp(0.001f, 0.9f, 0f, 1e-7f, false), 1e-30, 1e-28),
            "rmsprop-centered" => (new RmsProp(centered: true), PlainRule.RmsProp(0.001f, 0.9f, 0f, 1e-7f, true), 1e-30, 1e-28),
            "rmsprop-momentum" => (new RmsProp(momentum: 0.9f), PlainRule.RmsProp(0.001f, 0.9f, 0.9f, 1e-7f, false), 1e-30, 1e-28),
            "rmsprop-rho-0.1" => (new RmsProp(rho: 0.1f), PlainRule.RmsProp(0.001f, 0.1f, 0f, 1e-7f, false), 1e-30, 1e-28),
            "adagrad" => (new Adagrad(), PlainRule.Adagrad(0.001f, 0.1f, 1e-7f), 0, 0),
            "adagrad-tight" => (new Adagrad(initialAccumulatorValue: 1.97215226e-31f), PlainRule.Adagrad(0.001f, 1.97215226e-31f, 1e-7f), 0, 0),
            _ => (new Adagrad(initialAccumulatorValue: 0f), PlainRule.Adagrad(0.001f, 0f, 1e-7f), 0, 0),
        };

        // Every third gradient holds the sum in [low, high] (where an ulp is smallest); the others make c·g² land around
        // the smallest normal float: mostly within 3 % of it, where a slightly too high cutoff would drop terms that
        // matter, the rest spread from 2⁻¹³⁰ to 2⁻¹²⁰. Some are 0, and a few subnormal.
        var rng = new Random(11);
        var p = new float[length];
        int subnormalTerms = 0;
        for (int step = 0; step < 12; step++)
        {
            var g = new float[length];
            for (int i = 0; i < length; i++)
            {
                double term = high > 0 && (step == 0 || rng.Next(3) == 0)
                    ? low * Math.Pow(high / low, rng.NextDouble())
                    : rng.Next(4) == 0 ? SmallestNormal * Math.Pow(2, -4 + (10 * rng.NextDouble())) : SmallestNormal * (0.97 + (0.06 * rng.NextDouble()));
                g[i] = (float)(Math.Sqrt(term / rule.Coefficient) * (rng.Next(2) == 0 ? 1 : -1));
                g[i] = i % 97 == 0 ? 0f : i % 101 == 0 ? 1e-45f : g[i];
                subnormalTerms += float.IsSubnormal(rule.Coefficient * g[i] * g[i]) ? 1 : 0;
            }

            rule.Step(p, g); // first, so that its copy of the parameters starts from the same values
            optimizer.Step(p, g);
        }

        // The optimizer updated p in place and the rule its own copy: compare them, and every slot.
        float[][] slots = optimizer.StateSlots;
        Assert.Equal(rule.Slots.Length, slots.Length);
        for (int k = 0; k < slots.Length; k++)
        {
            AssertSameBits(rule.Slots[k], slots[k], $"{name}: slot {k}");
        }

        AssertSameBits(rule.Parameters, p, $"{name}: parameters");
        Assert.True(subnormalTerms > length, $"only {subnormalTerms} subnormal g² terms: the data missed the cutoff");
    }

    [Fact]
    public void The_cutoff_is_off_where_leaving_a_term_out_could_change_the_sum()
    {
        float adam = Optimizer.SquareCutoff(0.001f, 0.999f * 1e-30f, 1e-30f);
        Assert.InRange(adam, 3.4e-18f, 3.43e-18f); // √(2⁻¹²⁶ / 0.001), less a margin
        Assert.True((0.001f * adam) * adam < SmallestNormal);

        Assert.Equal(0f, Optimizer.SquareCutoff(0.1f, 1e-32f, 1e-30f));    // a decayed sum where 2⁻¹²⁶ is over half an ulp
        Assert.Equal(0f, Optimizer.SquareCutoff(0.1f, 1e-30f, 1e-42f));    // a tiny ε: subnormal sums are kept, not floored
        Assert.Equal(0f, Optimizer.SquareCutoff(1f, 0f, 0f));              // Adagrad starting from 0
        Assert.True(Optimizer.SquareCutoff(1f, 0.1f, null) > 1e-19f);      // Adagrad's sum is never 0
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}[{i}] is {actual[i]:R}, plain arithmetic gives {expected[i]:R}");
        }
    }

    /// <summary>
    /// An optimizer's documented rule, one element at a time in float, in the order the library computes it
    /// (no fused multiply-adds), with its floors: state below 1e-30 is stored as 0, v below its own floor.
    /// </summary>
    private sealed class PlainRule
    {
        private const float StateFloor = 1e-30f;
        private readonly Action<PlainRule, float[]> _step;
        private long _iterations;

        private PlainRule(float coefficient, int slots, Action<PlainRule, float[]> step)
        {
            Coefficient = coefficient;
            Slots = new float[slots][];
            _step = step;
        }

        public float Coefficient { get; }

        public float[][] Slots { get; }

        public float[] Parameters { get; private set; } = [];

        public void Step(float[] parameters, float[] gradients)
        {
            if (_iterations++ == 0)
            {
                Parameters = (float[])parameters.Clone();
                for (int k = 0; k < Slots.Length; k++)
                {
                    Slots[k] = new float[parameters.Length];
                }
            }

            _step(this, gradients);
        }

        public static PlainRule Adam(float lr, float b1, float b2, float eps) => new(1f - b2, 2, (r, g) =>
        {
            float c1 = 1f - b1, c2 = 1f - b2, tinyV = (float)Math.Min(StateFloor, (double)eps * eps * 1e-12);
            float alpha = (float)(lr * Math.Sqrt(1 - Math.Pow(b2, r._iterations)) / (1 - Math.Pow(b1, r._iterations)));
            float[] p = r.Parameters, m = r.Slots[0], v = r.Slots[1];
            for (int i = 0; i < p.Length; i++)
            {
                float mi = (b1 * m[i]) + (c1 * g[i]);
                float vi = (b2 * v[i]) + (c2 * g[i] * g[i]);
                mi = m[i] = MathF.Abs(mi) < StateFloor ? 0f : mi;
                vi = v[i] = vi < tinyV ? 0f : vi;
                p[i] -= alpha * mi / (MathF.Sqrt(vi) + eps);
            }
        });

        public static PlainRule RmsProp(float lr, float rho, float mu, float eps, bool centered) =>
            new(1f - rho, 1 + (mu > 0f ? 1 : 0) + (centered ? 1 : 0), (r, g) =>
            {
                float c = 1f - rho, tinyV = (float)Math.Min(StateFloor, eps * 1e-7);
                float[] p = r.Parameters, v = r.Slots[0];
                float[]? s = mu > 0f ? r.Slots[1] : null, a = centered ? r.Slots[^1] : null;
                for (int i = 0; i < p.Length; i++)
                {
                    float vi = (rho * v[i]) + (c * g[i] * g[i]);
                    vi = v[i] = vi < tinyV ? 0f : vi;
                    float d = vi + eps;
                    if (a is not null)
                    {
                        float ai = (rho * a[i]) + (c * g[i]);
                        ai = a[i] = MathF.Abs(ai) < StateFloor ? 0f : ai;
                        d = vi - (ai * ai) + eps;
                    }

                    float delta = lr * g[i] / MathF.Sqrt(d);
                    if (s is not null)
                    {
                        delta = (mu * s[i]) + delta;
                        delta = s[i] = MathF.Abs(delta) < StateFloor ? 0f : delta;
                    }

                    p[i] -= delta;
                }
            });

        public static PlainRule Adagrad(float lr, float initial, float eps) => new(1f, 1, (r, g) =>
        {
            float[] p = r.Parameters, acc = r.Slots[0];
            if (r._iterations == 1)
            {
                acc.AsSpan().Fill(initial);
            }

            for (int i = 0; i < p.Length; i++)
            {
                float ai = acc[i] += g[i] * g[i];
                p[i] -= lr * g[i] / MathF.Sqrt(ai + eps);
            }
        });
    }
}
