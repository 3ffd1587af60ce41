using System;

namespace NetGen.Losses;

/// <summary>L = mean over all b, i of |y[b,i] − t[b,i]|; ∂L/∂y = sign(y − t) / (batch·outputs), 0 where y = t.</summary>
public static class MeanAbsoluteError
{
    /// <summary>Returns the mean loss; writes ∂L/∂output into <paramref name="gradient"/> unless it is empty.</summary>
    public static float Compute(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(output, targets, batch);
        double sum = 0;
        float scale = 1f / n;
        for (int i = 0; i < n; i++)
        {
            float d = output[i] - targets[i];
            sum += Math.Abs(d);
            if (!gradient.IsEmpty)
            {
                gradient[i] = d > 0f ? scale : d < 0f ? -scale : 0f;
            }
        }

        return (float)(sum / n);
    }
}
