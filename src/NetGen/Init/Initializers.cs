using System;

namespace NetGen.Init;

/// <summary>Weight initializers (Keras's definitions).</summary>
public static class Initializers
{
    /// <summary>Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)). Keras's default for Dense kernels.</summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn + fanOut);
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ((2f * rng.NextSingle()) - 1f) * limit;
        }
    }
}
