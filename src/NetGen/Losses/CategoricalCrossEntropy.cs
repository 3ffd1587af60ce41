using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Losses;

/// <summary>
/// Categorical cross-entropy, as Keras defines it: per sample ℓ = −Σ_i t_i·log p_i over the classes, then the mean
/// over the batch, L = (1/batch)·Σ ℓ. Targets are one-hot or soft (any non-negative weights).
/// <list type="bullet">
/// <item><see cref="FromLogits"/> takes z with p = softmax(z) and uses log p_i = z_i − logsumexp(z), stable for every
/// finite z. ∂L/∂z_i = (p_i·Σ_j t_j − t_i)/batch, which is the familiar (p − t)/batch when the targets sum to 1.</item>
/// <item><see cref="FromProbabilities"/> does what Keras does: it first rescales each sample's outputs to sum to 1,
/// q = p/Σp, then clips q to [ε, 1 − ε], ℓ = −Σ t_i·log clip(q_i). With a_i = −t_i/q_i where q_i was not clipped and
/// 0 where it was, ∂L/∂p_j = (a_j − Σ_i a_i·q_i)/(Σp·batch); for outputs that already sum to 1 and are not clipped
/// that is −t_j/p_j + Σt, and its second term is constant across the classes (a softmax before it cancels it).</item>
/// </list>
/// Terms are computed and summed in double.
/// </summary>
public static class CategoricalCrossEntropy
{
    /// <summary>
    /// Loss from logits (softmax fused); writes ∂L/∂z into <paramref name="gradient"/> unless it is empty. The gradient
    /// may be the logits buffer itself (computed in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // maxima and exponentials are written before they are read
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(logits, targets, batch, gradient);
        int classes = n / batch;
        bool withGradient = !gradient.IsEmpty;
        double sum = 0, scale = 1.0 / batch;
        int perBlock = SoftmaxRows.RowsPerBlock(classes);
        Span<float> maxima = stackalloc float[perBlock];

        // exp(z − max) of a block of rows, in double (SoftmaxRows): on the stack unless a single row needs more.
        int blockLength = Math.Min(perBlock, batch) * classes;
        double[]? rented = blockLength > SoftmaxRows.BlockValues ? ArrayPool<double>.Shared.Rent(blockLength) : null;
        Span<double> exps = rented ?? stackalloc double[blockLength];
        for (int first = 0; first < batch; first += perBlock)
        {
            int count = Math.Min(perBlock, batch - first);
            ReadOnlySpan<float> zb = logits.Slice(first * classes, count * classes);
            RowReductions.Maxima(zb, classes, maxima);
            SoftmaxRows.ShiftedExp(zb, classes, maxima, exps);
            for (int r = 0; r < count; r++)
            {
                // −log p_i = logsumexp(z) − z_i = log Σ exp(z − max) + (max − z_i). Every z_i of the row is read before
                // the row's gradient is written, since the gradient may alias the logits.
                ReadOnlySpan<float> z = zb.Slice(r * classes, classes);
                ReadOnlySpan<float> t = targets.Slice((first + r) * classes, classes);
                ReadOnlySpan<double> e = exps.Slice(r * classes, classes);
                double total = Sum(e), logTotal = Math.Log(total), targetSum = 0;
                for (int i = 0; i < classes; i++)
                {
                    // Skipping t_i = 0 keeps a −∞ logit of an absent class from making 0·∞.
                    if (t[i] != 0f)
                    {
                        sum += t[i] * (logTotal + ((double)maxima[r] - z[i]));
                        targetSum += t[i];
                    }
                }

                if (withGradient)
                {
                    Span<float> g = gradient.Slice((first + r) * classes, classes);
                    double factor = targetSum / total;
                    for (int i = 0; i < classes; i++)
                    {
                        g[i] = (float)(((e[i] * factor) - t[i]) * scale);
                    }
                }
            }
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return (float)(sum / batch);
    }

    /// <summary>
    /// Loss from probabilities (rescaled per sample to sum to 1, then clipped to [ε, 1 − ε]); writes ∂L/∂p into
    /// <paramref name="gradient"/> unless it is empty. The gradient may be the probabilities buffer itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(probabilities, targets, batch, gradient);
        int classes = n / batch;
        bool withGradient = !gradient.IsEmpty;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(b * classes, classes);
            ReadOnlySpan<float> t = targets.Slice(b * classes, classes);
            double total = Sum(p), aDotQ = 0;
            for (int i = 0; i < classes; i++)
            {
                if (t[i] != 0f)
                {
                    double q = p[i] / total, c = Clip(q);
                    sum -= t[i] * Math.Log(c);
                    aDotQ += Unclipped(q) ? -t[i] : 0.0; // a_i·q_i = −t_i where q_i = c_i was not clipped
                }
            }

            if (withGradient)
            {
                Span<float> g = gradient.Slice(b * classes, classes);
                double scale = 1.0 / (total * batch);
                for (int i = 0; i < classes; i++)
                {
                    double q = p[i] / total;
                    double a = t[i] != 0f && Unclipped(q) ? -t[i] / q : 0.0;
                    g[i] = (float)((a - aDotQ) * scale);
                }
            }
        }

        return (float)(sum / batch);
    }

    /// <summary>Σ values in order (the exponentials of a softmax row).</summary>
    internal static double Sum(ReadOnlySpan<double> values)
    {
        double total = 0;
        foreach (double v in values)
        {
            total += v;
        }

        return total;
    }

    /// <summary>Σ p in double.</summary>
    internal static double Sum(ReadOnlySpan<float> p)
    {
        double total = 0;
        foreach (float v in p)
        {
            total += v;
        }

        return total;
    }

    /// <summary>Keras's clip of a rescaled probability to [ε, 1 − ε] (the float32 bounds).</summary>
    internal static double Clip(double q) => Math.Clamp(q, BinaryCrossEntropy.Epsilon, BinaryCrossEntropy.OneMinusEpsilon);

    /// <summary>Whether the clip leaves <paramref name="q"/> as it is, so the loss has a slope in it (NaN counts as unclipped, and stays NaN).</summary>
    internal static bool Unclipped(double q) => !(q < BinaryCrossEntropy.Epsilon || q > BinaryCrossEntropy.OneMinusEpsilon);
}
