using System;
using System.Numerics.Tensors;

namespace NetGen.Losses;

/// <summary>Argument checks and the numerically careful helpers (log1p) shared by the loss kernels.</summary>
internal static class LossChecks
{
    /// <summary>
    /// Checks a loss whose targets are laid out like its outputs, and returns the number of values. The gradient is
    /// either empty (loss only) or at least as long as the outputs; only the first outputs.Length values are written.
    /// </summary>
    public static int SameLength(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (output.Length != targets.Length || output.Length % batch != 0 || output.Length == 0)
        {
            throw new ArgumentException(
                $"Expected outputs and targets of the same non-zero length, a multiple of the batch size {batch}; received {output.Length} outputs and {targets.Length} targets.");
        }

        CheckGradient(gradient, output.Length);
        return output.Length;
    }

    /// <summary>Checks a loss with one integer label per sample, and returns the number of classes.</summary>
    public static int Classes(ReadOnlySpan<float> output, ReadOnlySpan<float> labels, int batch, Span<float> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (labels.Length != batch || output.Length % batch != 0 || output.Length == 0)
        {
            throw new ArgumentException(
                $"Expected one label per sample ({batch}) and a non-zero number of outputs that is a multiple of it; received {labels.Length} labels and {output.Length} outputs.");
        }

        CheckGradient(gradient, output.Length);
        int classes = output.Length / batch;
        for (int b = 0; b < batch; b++)
        {
            // Checked before anything is written, so a bad label leaves the gradient (which may alias the output) untouched.
            _ = Label(labels[b], classes, b);
        }

        return classes;
    }

    /// <summary>The class index stored in <paramref name="value"/>; throws, naming the sample, unless it is an integer in [0, classes).</summary>
    public static int Label(float value, int classes, int sample)
    {
        // The comparison is false for NaN and for values the saturating conversion clamped, so both throw.
        int label = (int)value;
        if (label != value || label < 0 || label >= classes)
        {
            throw new ArgumentOutOfRangeException(
                "labels", value, $"Label of sample {sample} must be an integer class index in [0, {classes}), received {value}.");
        }

        return label;
    }

    /// <summary>
    /// log(1 + x), accurate also where x is so small that 1 + x rounds (Goldberg's trick: the rounding error of
    /// u = 1 + x cancels in log(u)·x/(u − 1)). .NET's double.LogP1 is log(x + 1) and loses those digits.
    /// </summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>log(1 + e^−|z|), the smooth part of the stable softplus; in (0, log 2] for every finite z.</summary>
    public static double SoftplusOfNegativeAbs(double z) => Log1P(Math.Exp(-Math.Abs(z)));

    private static void CheckGradient(Span<float> gradient, int length)
    {
        if (!gradient.IsEmpty && gradient.Length < length)
        {
            throw new ArgumentException(
                $"Expected an empty gradient (loss only) or one of at least {length} values, one per output; received {gradient.Length}.", nameof(gradient));
        }
    }
}
