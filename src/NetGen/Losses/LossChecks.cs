using System;
using System.Numerics.Tensors;

namespace NetGen.Losses;

/// <summary>Argument checks and the log-sum-exp shared by the loss kernels.</summary>
internal static class LossChecks
{
    public static int SameLength(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (output.Length != targets.Length || output.Length % batch != 0)
        {
            throw new ArgumentException(
                $"Expected outputs and targets of the same length, a multiple of the batch size {batch}; received {output.Length} outputs and {targets.Length} targets.");
        }

        return output.Length;
    }

    public static int Classes(ReadOnlySpan<float> output, ReadOnlySpan<float> labels, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (labels.Length != batch || output.Length % batch != 0)
        {
            throw new ArgumentException(
                $"Expected one label per sample ({batch}) and outputs a multiple of it; received {labels.Length} labels and {output.Length} outputs.");
        }

        return output.Length / batch;
    }

    public static int Label(float value, int classes, int sample)
    {
        int label = (int)value;
        if (label != value || label < 0 || label >= classes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(value), value, $"Label of sample {sample} must be an integer class index in [0, {classes}), received {value}.");
        }

        return label;
    }

    /// <summary>log Σ e^z_i, computed as max + log Σ e^(z_i − max) so it never overflows.</summary>
    public static float LogSumExp(ReadOnlySpan<float> z)
    {
        float max = TensorPrimitives.Max(z);
        double sum = 0;
        foreach (float v in z)
        {
            sum += Math.Exp(v - max);
        }

        return max + (float)Math.Log(sum);
    }
}
