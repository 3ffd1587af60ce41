using System;

namespace NetGen;

/// <summary>
/// A small, fast, seedable generator (xoshiro128** seeded through SplitMix64). Unlike <see cref="System.Random"/>
/// its sequence is part of NetGen's contract: the same seed gives the same weights, shuffles and dropout masks on
/// every platform and runtime version.
/// </summary>
public sealed class Rng
{
    private Xoshiro128StarStar _state;
    private Xoshiro128x8 _lanes;
    private bool _lanesSeeded;

    /// <summary>Creates a generator from a seed.</summary>
    public Rng(long seed)
    {
        ulong x = unchecked((ulong)seed);
        ulong a = SplitMix64(ref x), b = SplitMix64(ref x);
        _state.S0 = (uint)a;
        _state.S1 = (uint)(a >> 32);
        _state.S2 = (uint)b;
        _state.S3 = (uint)(b >> 32);
        if ((_state.S0 | _state.S1 | _state.S2 | _state.S3) == 0)
        {
            _state.S0 = 1; // the all-zero state is a fixed point
        }
    }

    /// <summary>An independent generator in the same state: both draw the same numbers from here on.</summary>
    internal Rng Copy() => (Rng)MemberwiseClone();

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt32() => _state.Next();

    /// <summary>
    /// Eight generators side by side for bulk draws (dropout masks), seeded from this generator's next 32 numbers the
    /// first time they are asked for. Copy into a local for a loop, where it lives in registers, and write it back
    /// when done, or the same numbers are drawn again.
    /// </summary>
    internal ref Xoshiro128x8 Lanes
    {
        get
        {
            if (!_lanesSeeded)
            {
                _lanes = Xoshiro128x8.SeededFrom(ref _state);
                _lanesSeeded = true;
            }

            return ref _lanes;
        }
    }

    /// <summary>A float uniform in [0, 1), with 24 random bits.</summary>
    public float NextSingle() => (NextUInt32() >> 8) * (1.0f / (1 << 24));

    /// <summary>A double uniform in [0, 1), with 32 random bits.</summary>
    public double NextDouble() => NextUInt32() * (1.0 / 4294967296.0);

    /// <summary>An integer uniform in [0, maxExclusive), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong m = (ulong)NextUInt32() * (uint)maxExclusive;
        uint low = (uint)m;
        if (low < (uint)maxExclusive)
        {
            uint threshold = (uint)-maxExclusive % (uint)maxExclusive;
            while (low < threshold)
            {
                m = (ulong)NextUInt32() * (uint)maxExclusive;
                low = (uint)m;
            }
        }

        return (int)(m >> 32);
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
