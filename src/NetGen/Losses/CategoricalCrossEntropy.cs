using System;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Losses;

/// <summary>
/// Categorical cross-entropy, as Keras defines it: per sample ℓ = −Σ_i t_i·log p_i over the classes, then the mean
/// over the batch, L = (1/batch)·Σ ℓ. Targets are one-hot or soft (any non-negative weights).
/// <list type="bullet">
/// <item><see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> takes z with p = softmax(z) and uses log p_i = z_i − logsumexp(z), stable for every
/// finite z. ∂L/∂z_i = (p_i·Σ_j t_j − t_i)/batch, which is the familiar (p − t)/batch when the targets sum to 1.</item>
/// <item><see cref="FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> does what Keras does: it first rescales each sample's outputs to sum to 1,
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
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient)
    {
        int n = LossChecks.SameLength(logits, targets, batch, gradient);
        int classes = n / batch;
        var rows = new TargetRows(targets, gradient, classes, 1.0 / batch);
        return (float)(SoftmaxRows.SumRows(logits, batch, classes, ref rows) / batch);
    }

    /// <summary>One row of <see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>: −Σ t_i·log p_i, and (p_i·Σt − t_i)/batch.</summary>
    private readonly ref struct TargetRows(ReadOnlySpan<float> targets, Span<float> gradient, int classes, double scale) : SoftmaxRows.IRowLoss
    {
        private readonly ReadOnlySpan<float> _targets = targets;
        private readonly Span<float> _gradient = gradient;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int row, scoped ReadOnlySpan<float> z, float max, scoped ReadOnlySpan<double> exps, ref double sum)
        {
            // −log p_i = logsumexp(z) − z_i = log Σ exp(z − max) + (max − z_i). Every z_i of the row is read before the
            // row's gradient is written, since the gradient may alias the logits.
            // Locals, not fields, in the loops: the JIT would reload a field after every store through the gradient span.
            int n = classes;
            ReadOnlySpan<float> t = _targets.Slice(row * n, n);
            double total = SoftmaxRows.Sum(exps), logTotal = Math.Log(total), targetSum = 0;
            for (int i = 0; i < n; i++)
            {
                // Skipping t_i = 0 keeps a −∞ logit of an absent class from making 0·∞.
                if (t[i] != 0f)
                {
                    sum += t[i] * (logTotal + ((double)max - z[i]));
                    targetSum += t[i];
                }
            }

            if (!_gradient.IsEmpty)
            {
                Span<float> g = _gradient.Slice(row * n, n);
                double factor = targetSum / total, perSample = scale;
                for (int i = 0; i < n; i++)
                {
                    g[i] = (float)(((exps[i] * factor) - t[i]) * perSample);
                }
            }
        }
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

    /// <summary>
    /// <see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(FromLogits, logits, targets, batch, gradient, sampleWeights);

    /// <summary>
    /// <see cref="FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(FromProbabilities, probabilities, targets, batch, gradient, sampleWeights);
}
