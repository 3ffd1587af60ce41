using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>The state and step of xoshiro128** (Blackman and Vigna), the generator behind <see cref="Rng"/>.</summary>
internal struct Xoshiro128StarStar
{
    public uint S0, S1, S2, S3;

    /// <summary>The next 32 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next()
    {
        uint result = BitOperations.RotateLeft(S1 * 5, 7) * 9;
        uint t = S1 << 9;
        S2 ^= S0;
        S3 ^= S1;
        S1 ^= S2;
        S0 ^= S3;
        S2 ^= t;
        S3 = BitOperations.RotateLeft(S3, 11);
        return result;
    }
}
