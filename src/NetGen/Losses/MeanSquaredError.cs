using System;

namespace NetGen.Losses;

/// <summary>L = mean over all b, i of (y[b,i] − t[b,i])²; ∂L/∂y = 2(y − t) / (batch·outputs).</summary>
public static class MeanSquaredError
{
    /// <summary>Returns the mean loss; writes ∂L/∂output into <paramref name="gradient"/> unless it is empty.</summary>
    public static float Compute(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(output, targets, batch);
        double sum = 0;
        float scale = 2f / n;
        for (int i = 0; i < n; i++)
        {
            float d = output[i] - targets[i];
            sum += d * d;
            if (!gradient.IsEmpty)
            {
                gradient[i] = scale * d;
            }
        }

        return (float)(sum / n);
    }
}
