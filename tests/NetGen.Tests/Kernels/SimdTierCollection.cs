using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Every test that sets <see cref="Simd.Tier"/> belongs to this collection: xunit runs it alone, after the parallel
/// collections, so no other test observes a forced tier mid-run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimdTierCollection
{
    public const string Name = "Forced SIMD tier (runs alone)";

    /// <summary>The four tiers a test can force, narrowest first.</summary>
    public static TheoryData<SimdTier> Tiers => new() { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 };
}

/// <summary>Forces a tier for a using block and restores the previous one, even when the test fails.</summary>
internal sealed class TierScope : IDisposable
{
    private readonly SimdTier _previous;

    public TierScope(SimdTier tier)
    {
        _previous = Simd.Tier;
        Simd.Tier = tier;
    }

    public void Dispose() => Simd.Tier = _previous;
}

/// <summary>Seeded random buffers, so every failure reproduces.</summary>
internal static class TestData
{
    /// <summary>Unit roundoff of float: 2⁻²⁴.</summary>
    public const double FloatEpsilon = 1.0 / (1 << 24);

    public static float[] Uniform(Random random, int length, float low = -1f, float high = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }

        return values;
    }

    /// <summary>
    /// Values in [-high, -gap] ∪ [gap, high]: kept away from 0 where ReLU-like functions have their kink.
    /// </summary>
    public static float[] AwayFromZero(Random random, int length, float gap, float high)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            float magnitude = gap + ((high - gap) * random.NextSingle());
            values[i] = random.Next(2) == 0 ? magnitude : -magnitude;
        }

        return values;
    }

    /// <summary><paramref name="values"/> followed by <paramref name="padding"/> copies of <paramref name="fill"/>.</summary>
    public static float[] Padded(float[] values, int padding, float fill)
    {
        var padded = new float[values.Length + padding];
        values.CopyTo(padded, 0);
        padded.AsSpan(values.Length).Fill(fill);
        return padded;
    }
}
