using System;
using System.Numerics.Tensors;

namespace NetGen.Losses;

/// <summary>
/// Per-sample weights on any loss, as Keras 3 reduces a weighted loss (<c>sum_over_batch_size</c>): the weighted sum
/// of the per-sample losses divided by the batch size (not by the sum of the weights), L = (1/batch)·Σ wᵢ·ℓᵢ, where
/// ℓᵢ is sample i's loss (its mean over the outputs): keras/src/losses/loss.py multiplies the per-sample values by the
/// weights in <c>reduce_weighted_values</c> and <c>reduce_values</c> divides their sum by their count. Every loss here is such a mean over samples, so the weighted
/// gradient is the unweighted one with sample i's row scaled by wᵢ.
/// </summary>
internal static class SampleWeighting
{
    /// <summary>A loss kernel: returns the mean loss and writes its gradient unless the gradient is empty.</summary>
    public delegate float Kernel(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, Span<float> gradient);

    /// <summary>
    /// <paramref name="kernel"/> weighted by <paramref name="weights"/> (one per sample); with no weights, the kernel
    /// itself. The gradient may alias the outputs: every sample's loss is read before the gradient is written.
    /// </summary>
    public static float Apply(Kernel kernel, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> weights)
    {
        if (weights.IsEmpty)
        {
            return kernel(outputs, targets, batch, gradient);
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (weights.Length != batch)
        {
            throw new ArgumentException($"Expected no sample weights or one per sample ({batch}); received {weights.Length}.", nameof(weights));
        }

        if (outputs.Length == 0 || outputs.Length % batch != 0 || targets.Length % batch != 0)
        {
            return kernel(outputs, targets, batch, gradient); // throws, with the kernel's own message
        }

        int outputSize = outputs.Length / batch, targetSize = targets.Length / batch;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            sum += (double)weights[b] * kernel(outputs.Slice(b * outputSize, outputSize), targets.Slice(b * targetSize, targetSize), 1, default);
        }

        kernel(outputs, targets, batch, gradient);
        if (!gradient.IsEmpty)
        {
            for (int b = 0; b < batch; b++)
            {
                Span<float> row = gradient.Slice(b * outputSize, outputSize);
                TensorPrimitives.Multiply(row, weights[b], row);
            }
        }

        return (float)(sum / batch);
    }
}
