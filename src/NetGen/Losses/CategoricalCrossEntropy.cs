using System;

namespace NetGen.Losses;

/// <summary>
/// L = −mean over samples of Σ_i t_i·log p_i, with one-hot (or soft) targets.
/// <see cref="FromLogits"/> takes z with p = softmax(z) and computes log p = z − logsumexp(z), stable for any z;
/// its gradient is (p − t) / batch. <see cref="FromProbabilities"/> clips p to [ε, 1 − ε] as Keras does.
/// </summary>
public static class CategoricalCrossEntropy
{
    /// <summary>Loss from logits (softmax fused); writes ∂L/∂z into <paramref name="gradient"/> unless it is empty.</summary>
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(logits, targets, batch);
        int classes = n / batch;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            ReadOnlySpan<float> t = targets.Slice(b * classes, classes);
            float lse = LossChecks.LogSumExp(z);
            for (int i = 0; i < classes; i++)
            {
                sum -= t[i] * (z[i] - lse);
            }

            if (!gradient.IsEmpty)
            {
                Span<float> g = gradient.Slice(b * classes, classes);
                for (int i = 0; i < classes; i++)
                {
                    g[i] = (MathF.Exp(z[i] - lse) - t[i]) / batch;
                }
            }
        }

        return (float)(sum / batch);
    }

    /// <summary>Loss from probabilities; writes ∂L/∂p into <paramref name="gradient"/> unless it is empty.</summary>
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(probabilities, targets, batch);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float p = Math.Clamp(probabilities[i], BinaryCrossEntropy.Epsilon, 1f - BinaryCrossEntropy.Epsilon);
            sum -= targets[i] * MathF.Log(p);
            if (!gradient.IsEmpty)
            {
                gradient[i] = -targets[i] / (p * batch);
            }
        }

        return (float)(sum / batch);
    }
}
