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

    /// <summary>Words in <see cref="SaveState"/>: the generator's four, the eight lanes' 32, and whether the lanes are seeded.</summary>
    internal const int StateWords = 4 + 32 + 1;

    /// <summary>The whole state, to continue the same sequence later (<see cref="FromState"/>): checkpoints save it.</summary>
    internal uint[] SaveState()
    {
        var words = new uint[StateWords];
        (words[0], words[1], words[2], words[3]) = (_state.S0, _state.S1, _state.S2, _state.S3);
        System.Runtime.Intrinsics.Vector256.CopyTo(_lanes.S0, words.AsSpan(4, 8));
        System.Runtime.Intrinsics.Vector256.CopyTo(_lanes.S1, words.AsSpan(12, 8));
        System.Runtime.Intrinsics.Vector256.CopyTo(_lanes.S2, words.AsSpan(20, 8));
        System.Runtime.Intrinsics.Vector256.CopyTo(_lanes.S3, words.AsSpan(28, 8));
        words[36] = _lanesSeeded ? 1u : 0u;
        return words;
    }

    /// <summary>A generator that continues where the one that gave <paramref name="words"/> (<see cref="SaveState"/>) was.</summary>
    /// <exception cref="ArgumentException">The words are not such a state.</exception>
    internal static Rng FromState(ReadOnlySpan<uint> words)
    {
        if (words.Length != StateWords || words[36] > 1 || (words[0] | words[1] | words[2] | words[3]) == 0)
        {
            throw new ArgumentException($"A generator state is {StateWords} words, the first four not all 0 and the last 0 or 1.", nameof(words));
        }

        var rng = new Rng(0);
        rng._state = new Xoshiro128StarStar { S0 = words[0], S1 = words[1], S2 = words[2], S3 = words[3] };
        rng._lanes = new Xoshiro128x8
        {
            S0 = System.Runtime.Intrinsics.Vector256.Create(words.Slice(4, 8)),
            S1 = System.Runtime.Intrinsics.Vector256.Create(words.Slice(12, 8)),
            S2 = System.Runtime.Intrinsics.Vector256.Create(words.Slice(20, 8)),
            S3 = System.Runtime.Intrinsics.Vector256.Create(words.Slice(28, 8)),
        };
        rng._lanesSeeded = words[36] == 1;
        return rng;
    }

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
