using System;

namespace NetGen.Losses;

/// <summary>
/// L = −mean over all b, i of [t·log p + (1 − t)·log(1 − p)].
/// <see cref="FromLogits"/> takes z with p = σ(z) and uses the stable form max(z, 0) − z·t + log(1 + e^−|z|), whose
/// gradient is simply (σ(z) − t) / N. <see cref="FromProbabilities"/> clips p to [ε, 1 − ε] as Keras does.
/// </summary>
public static class BinaryCrossEntropy
{
    /// <summary>Keras's clipping epsilon.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>Loss from logits z (sigmoid fused); writes ∂L/∂z into <paramref name="gradient"/> unless it is empty.</summary>
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(logits, targets, batch);
        double sum = 0;
        float scale = 1f / n;
        for (int i = 0; i < n; i++)
        {
            float z = logits[i], t = targets[i];
            sum += Math.Max(z, 0f) - (z * t) + MathF.Log(1f + MathF.Exp(-Math.Abs(z)));
            if (!gradient.IsEmpty)
            {
                float p = 1f / (1f + MathF.Exp(-z));
                gradient[i] = scale * (p - t);
            }
        }

        return (float)(sum / n);
    }

    /// <summary>Loss from probabilities p; writes ∂L/∂p into <paramref name="gradient"/> unless it is empty.</summary>
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(probabilities, targets, batch);
        double sum = 0;
        float scale = 1f / n;
        for (int i = 0; i < n; i++)
        {
            float p = Math.Clamp(probabilities[i], Epsilon, 1f - Epsilon), t = targets[i];
            sum -= (t * MathF.Log(p)) + ((1f - t) * MathF.Log(1f - p));
            if (!gradient.IsEmpty)
            {
                gradient[i] = scale * (p - t) / (p * (1f - p));
            }
        }

        return (float)(sum / n);
    }
}
