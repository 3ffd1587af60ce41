using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The element-wise activation kernels that run on NetGen's tiered loops, against <see cref="Reference"/> on every
/// tier, every length from 0 to past four AVX-512 registers, in place and with too-short spans.
/// </summary>
/// <remarks>
/// Tolerances, with u = 2⁻²⁴: the ReLU-family kernels do at most one float multiplication, which rounds exactly as
/// the double reference rounded to float, so they must match bit for bit. SigmoidBackward rounds three times,
/// (da·a)·(1 − a), so it may differ by 4u relative (three roundings plus the reference's own). TanhBackward,
/// da·(1 − a·a), loses the rounding of a·a to cancellation when |a| → 1, so its bound is
/// 4u·|da|·(a² + |1 − a²|) + u·|result|.
/// </remarks>
[Collection(SimdTierCollection.Name)]
public sealed class ActivationTests
{
    private const float Alpha = 0.3f;

    public enum Kernel
    {
        LeakyRelu,
        ReluBackward,
        LeakyReluBackward,
        SigmoidBackward,
        TanhBackward,
    }

    public static TheoryData<SimdTier, Kernel> TierKernel()
    {
        var data = new TheoryData<SimdTier, Kernel>();
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            foreach (Kernel kernel in Enum.GetValues<Kernel>())
            {
                data.Add(tier, kernel);
            }
        }

        return data;
    }

    public static TheoryData<Kernel> Kernels() => new(Enum.GetValues<Kernel>());

    [Theory]
    [MemberData(nameof(TierKernel))]
    public void Matches_reference_for_every_length(SimdTier tier, Kernel kernel)
    {
        var random = new Random(((int)tier * 10) + (int)kernel);
        using var scope = new TierScope(tier);
        for (int length = 0; length <= 70; length++)
        {
            Check(random, kernel, length);
        }

        Check(random, kernel, 1000);
    }

    [Theory]
    [MemberData(nameof(TierKernel))]
    public void Every_tier_gives_the_same_bits_as_scalar(SimdTier tier, Kernel kernel)
    {
        var random = new Random(100 + (int)kernel);
        (float[] x, float[] y) = Inputs(random, kernel, 203);
        float[] expected = new float[x.Length], actual = new float[x.Length];
        using (new TierScope(SimdTier.Scalar))
        {
            Run(kernel, x, y, expected);
        }

        using (new TierScope(tier))
        {
            Run(kernel, x, y, actual);
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(TierKernel))]
    public void In_place_equals_out_of_place(SimdTier tier, Kernel kernel)
    {
        var random = new Random(200 + (int)kernel);
        using var scope = new TierScope(tier);
        (float[] x, float[] y) = Inputs(random, kernel, 77);
        float[] expected = new float[x.Length];
        Run(kernel, x, y, expected);

        float[] overX = (float[])x.Clone();
        Run(kernel, overX, y, overX);
        Assert.Equal(expected, overX);

        if (kernel != Kernel.LeakyRelu)
        {
            float[] overY = (float[])y.Clone();
            Run(kernel, x, overY, overY);
            Assert.Equal(expected, overY);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Longer_spans_use_the_leading_part_and_short_ones_throw(Kernel kernel)
    {
        var random = new Random(300 + (int)kernel);
        (float[] x, float[] y) = Inputs(random, kernel, 21);
        float[] expected = new float[21];
        Run(kernel, x, y, expected);

        // The element count comes from the first input; the second input and the output may be longer.
        float[] longer = TestData.Padded(new float[21], 5, 777f);
        Run(kernel, x, TestData.Padded(y, 3, float.NaN), longer);
        Assert.Equal(expected, longer.AsSpan(0, 21).ToArray());
        Assert.All(longer.AsSpan(21).ToArray(), v => Assert.Equal(777f, v));

        Assert.Throws<ArgumentException>(() => Run(kernel, x, y, new float[20]));
        if (kernel != Kernel.LeakyRelu)
        {
            Assert.Throws<ArgumentException>(() => Run(kernel, x, y.AsSpan(0, 20), new float[21]));
        }
    }

    private static void Check(Random random, Kernel kernel, int length)
    {
        (float[] x, float[] y) = Inputs(random, kernel, length);
        float[] actual = new float[length];
        Run(kernel, x, y, actual);
        float[] expected = new float[length];
        Reference(kernel, x, y, expected);

        for (int i = 0; i < length; i++)
        {
            double tolerance = kernel switch
            {
                Kernel.SigmoidBackward => 4 * TestData.FloatEpsilon * Math.Abs(expected[i]),
                Kernel.TanhBackward => (4 * TestData.FloatEpsilon * Math.Abs(y[i]) * ((x[i] * x[i]) + Math.Abs(1 - (x[i] * x[i]))))
                    + (TestData.FloatEpsilon * Math.Abs(expected[i])),
                _ => 0,
            };
            double error = Math.Abs((double)actual[i] - expected[i]);
            Assert.True(
                error <= tolerance,
                $"{kernel} tier={Simd.EffectiveTier} length={length} [{i}]: x={x[i]}, y={y[i]} gave {actual[i]}, expected {expected[i]} (error {error:G3} > {tolerance:G3}).");
        }
    }

    /// <summary>
    /// The kernel's inputs: z in [-3, 3] (with exact zeros of both signs) for the ReLU family, a in (0, 1) for the
    /// sigmoid and in (-1, 1) for tanh; da in [-2, 2].
    /// </summary>
    private static (float[] X, float[] Y) Inputs(Random random, Kernel kernel, int length)
    {
        float[] x = kernel switch
        {
            Kernel.SigmoidBackward => TestData.Uniform(random, length, 0f, 1f),
            Kernel.TanhBackward => TestData.Uniform(random, length, -1f, 1f),
            _ => TestData.Uniform(random, length, -3f, 3f),
        };
        if (kernel is Kernel.LeakyRelu or Kernel.ReluBackward or Kernel.LeakyReluBackward)
        {
            for (int i = 5; i < length; i += 11)
            {
                x[i] = i % 2 == 0 ? 0f : -0f;
            }
        }

        return (x, TestData.Uniform(random, length, -2f, 2f));
    }

    private static void Run(Kernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        switch (kernel)
        {
            case Kernel.LeakyRelu:
                Activations.LeakyRelu(x, Alpha, destination);
                break;
            case Kernel.ReluBackward:
                Activations.ReluBackward(x, y, destination);
                break;
            case Kernel.LeakyReluBackward:
                Activations.LeakyReluBackward(x, y, Alpha, destination);
                break;
            case Kernel.SigmoidBackward:
                Activations.SigmoidBackward(x, y, destination);
                break;
            default:
                Activations.TanhBackward(x, y, destination);
                break;
        }
    }

    private static void Reference(Kernel kernel, float[] x, float[] y, float[] destination)
    {
        switch (kernel)
        {
            case Kernel.LeakyRelu:
                NetGen.Kernels.Reference.LeakyRelu(x, Alpha, destination);
                break;
            case Kernel.ReluBackward:
                NetGen.Kernels.Reference.ReluBackward(x, y, destination);
                break;
            case Kernel.LeakyReluBackward:
                NetGen.Kernels.Reference.LeakyReluBackward(x, y, Alpha, destination);
                break;
            case Kernel.SigmoidBackward:
                NetGen.Kernels.Reference.SigmoidBackward(x, y, destination);
                break;
            default:
                NetGen.Kernels.Reference.TanhBackward(x, y, destination);
                break;
        }
    }
}
