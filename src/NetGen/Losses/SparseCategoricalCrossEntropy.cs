using System;

namespace NetGen.Losses;

/// <summary>
/// Categorical cross-entropy with one integer class label per sample (stored as a float): L = −mean over samples of
/// log p[label]. Same stable forms as <see cref="CategoricalCrossEntropy"/>.
/// </summary>
public static class SparseCategoricalCrossEntropy
{
    /// <summary>Loss from logits (softmax fused); writes ∂L/∂z into <paramref name="gradient"/> unless it is empty.</summary>
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int batch, Span<float> gradient)
    {
        int classes = LossChecks.Classes(logits, labels, batch);
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            int label = LossChecks.Label(labels[b], classes, b);
            float lse = LossChecks.LogSumExp(z);
            sum -= z[label] - lse;
            if (!gradient.IsEmpty)
            {
                Span<float> g = gradient.Slice(b * classes, classes);
                for (int i = 0; i < classes; i++)
                {
                    g[i] = MathF.Exp(z[i] - lse) / batch;
                }

                g[label] -= 1f / batch;
            }
        }

        return (float)(sum / batch);
    }

    /// <summary>Loss from probabilities; writes ∂L/∂p into <paramref name="gradient"/> unless it is empty.</summary>
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int batch, Span<float> gradient)
    {
        int classes = LossChecks.Classes(probabilities, labels, batch);
        double sum = 0;
        if (!gradient.IsEmpty)
        {
            gradient[..(batch * classes)].Clear();
        }

        for (int b = 0; b < batch; b++)
        {
            int label = LossChecks.Label(labels[b], classes, b);
            float p = Math.Clamp(probabilities[(b * classes) + label], BinaryCrossEntropy.Epsilon, 1f - BinaryCrossEntropy.Epsilon);
            sum -= MathF.Log(p);
            if (!gradient.IsEmpty)
            {
                gradient[(b * classes) + label] = -1f / (p * batch);
            }
        }

        return (float)(sum / batch);
    }
}
