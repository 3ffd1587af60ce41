using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>Inverted dropout: the mask holds 0 or 1/(1 − rate), so inference needs no rescaling.</summary>
public static class Dropout
{
    /// <summary>Draws a new mask and applies it: y = x ⊙ mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"The dropout rate must be in [0, 1), received {rate}.");
        }

        if (mask.Length < x.Length || y.Length < x.Length)
        {
            throw new ArgumentException($"The mask ({mask.Length}) and output ({y.Length}) must hold the {x.Length} inputs.");
        }

        // Keep a unit when its 24-bit draw r satisfies r·2^-24 >= rate, i.e. r >= ceil(rate·2^24): the same masks as
        // comparing NextSingle() with the rate, computed without a branch (a coin-flip branch mispredicts half the time:
        // 16 µs against 3 µs for the MLP's 32×100 mask).
        float scale = 1f / (1f - rate);
        int threshold = (int)Math.Ceiling(rate * (double)(1 << 24));
        Xoshiro128StarStar state = rng.State;
        for (int i = 0; i < x.Length; i++)
        {
            int draw = (int)(state.Next() >> 8);
            int dropped = (draw - threshold) >>> 31; // 1 when draw < threshold
            mask[i] = scale * (1 - dropped);
        }

        rng.State = state;

        TensorPrimitives.Multiply(x, mask[..x.Length], y);
    }

    /// <summary>dx = dy ⊙ mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx) =>
        TensorPrimitives.Multiply(dy, mask[..dy.Length], dx);
}
