using System;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>Inverted dropout: the mask holds 0 or 1/(1 − rate), so inference needs no rescaling.</summary>
public static class Dropout
{
    /// <summary>Draws a new mask and applies it: y = x ⊙ mask.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        float scale = 1f / (1f - rate);
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = rng.NextSingle() >= rate ? scale : 0f;
        }

        TensorPrimitives.Multiply(x, mask[..x.Length], y);
    }

    /// <summary>dx = dy ⊙ mask.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx) =>
        TensorPrimitives.Multiply(dy, mask[..dy.Length], dx);
}
