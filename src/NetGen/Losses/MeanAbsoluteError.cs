using System;
using System.Runtime.CompilerServices;

namespace NetGen.Losses;

/// <summary>
/// Mean absolute error, as Keras defines it (mean over the outputs, then over the batch: the mean over all
/// N = batch·outputs values): L = (1/N)·Σ |y − t|, ∂L/∂y = sign(y − t)/N, taken as 0 where y = t (as TensorFlow's
/// gradient of |x| is).
/// </summary>
public static class MeanAbsoluteError
{
    /// <summary>
    /// Returns the mean loss; writes ∂L/∂output into <paramref name="gradient"/> unless it is empty. The gradient may be
    /// the output buffer itself (computed in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Compute(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(output, targets, batch, gradient);
        bool withGradient = !gradient.IsEmpty;
        double sum = 0;
        float scale = (float)(1.0 / n);
        for (int i = 0; i < n; i++)
        {
            double d = (double)output[i] - targets[i];
            sum += Math.Abs(d);
            if (withGradient)
            {
                gradient[i] = d > 0 ? scale : d < 0 ? -scale : 0f;
            }
        }

        return (float)(sum / n);
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(Compute, output, targets, batch, gradient, sampleWeights);
}
