using System;
using System.Runtime.CompilerServices;

namespace NetGen.Losses;

/// <summary>
/// Mean squared error, as Keras defines it (mean over the outputs of a sample, then over the batch; every sample has
/// the same number of outputs, so that is the mean over all N = batch·outputs values):
/// L = (1/N)·Σ (y − t)², ∂L/∂y = 2(y − t)/N.
/// </summary>
public static class MeanSquaredError
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
        double sum = 0, scale = 2.0 / n;
        for (int i = 0; i < n; i++)
        {
            // The difference of two floats is exact in double, so only the final rounding is lost.
            double d = (double)output[i] - targets[i];
            sum += d * d;
            if (withGradient)
            {
                gradient[i] = (float)(scale * d);
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
