using System;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Losses;

/// <summary>
/// Categorical cross-entropy with one integer class label per sample (stored as a float), as Keras defines it:
/// L = −(1/batch)·Σ log p[label]. Labels that are not integers in [0, classes) throw, naming the sample, before
/// anything is written.
/// <list type="bullet">
/// <item><see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>: log p = z − logsumexp(z); ∂L/∂z = (softmax(z) − onehot(label))/batch.</item>
/// <item><see cref="FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>: like Keras (and <see cref="CategoricalCrossEntropy.FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>),
/// rescales each sample's outputs to q = p/Σp, then clips q to [ε, 1 − ε]: ℓ = −log clip(q[label]). Where q[label]
/// is not clipped, ∂L/∂p_j = (1 − 1/q[label]·[j = label])/(Σp·batch), so 1/(Σp·batch) for every other class; where it
/// is clipped the gradient is 0.</item>
/// </list>
/// </summary>
public static class SparseCategoricalCrossEntropy
{
    /// <summary>
    /// Loss from logits (softmax fused); writes ∂L/∂z into <paramref name="gradient"/> unless it is empty. The gradient
    /// may be the logits buffer itself (computed in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int batch, Span<float> gradient)
    {
        int classes = LossChecks.Classes(logits, labels, batch, gradient);
        var rows = new LabelRows(labels, gradient, classes, 1.0 / batch);
        return (float)(SoftmaxRows.SumRows(logits, batch, classes, ref rows) / batch);
    }

    /// <summary>One row of <see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>: −log p[label], and (p − onehot(label))/batch.</summary>
    private readonly ref struct LabelRows(ReadOnlySpan<float> labels, Span<float> gradient, int classes, double scale) : SoftmaxRows.IRowLoss
    {
        private readonly ReadOnlySpan<float> _labels = labels;
        private readonly Span<float> _gradient = gradient;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int row, scoped ReadOnlySpan<float> z, float max, scoped ReadOnlySpan<double> exps, ref double sum)
        {
            // −log p[label] = logsumexp(z) − z[label] = log Σ exp(z − max) + (max − z[label]), z read before the gradient.
            int label = (int)_labels[row];
            double total = SoftmaxRows.Sum(exps);
            sum += Math.Log(total) + ((double)max - z[label]);
            if (!_gradient.IsEmpty)
            {
                SoftmaxRows.LabelGradient(exps, 1.0 / total, label, scale, _gradient.Slice(row * classes, classes));
            }
        }
    }

    /// <summary>
    /// Loss from probabilities (rescaled per sample to sum to 1, then clipped to [ε, 1 − ε]); writes ∂L/∂p into
    /// <paramref name="gradient"/> unless it is empty. The gradient may be the probabilities buffer itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int batch, Span<float> gradient)
    {
        int classes = LossChecks.Classes(probabilities, labels, batch, gradient);
        bool withGradient = !gradient.IsEmpty;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(b * classes, classes);
            int label = (int)labels[b];
            double total = CategoricalCrossEntropy.Sum(p);
            double q = p[label] / total;
            sum -= Math.Log(CategoricalCrossEntropy.Clip(q));
            if (withGradient)
            {
                Span<float> g = gradient.Slice(b * classes, classes);
                if (CategoricalCrossEntropy.Unclipped(q))
                {
                    double scale = 1.0 / (total * batch);
                    g.Fill((float)scale);
                    g[label] = (float)((1.0 - (1.0 / q)) * scale);
                }
                else
                {
                    g.Clear();
                }
            }
        }

        return (float)(sum / batch);
    }

    /// <summary>
    /// <see cref="FromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(FromLogits, logits, labels, batch, gradient, sampleWeights);

    /// <summary>
    /// <see cref="FromProbabilities(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/> with one weight per sample
    /// (Keras's <c>sample_weight</c>): (1/batch)·Σ wᵢ·ℓᵢ, and each sample's gradient scaled by its weight. Empty
    /// <paramref name="sampleWeights"/> is the unweighted loss.
    /// </summary>
    public static float FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int batch, Span<float> gradient, ReadOnlySpan<float> sampleWeights) =>
        SampleWeighting.Apply(FromProbabilities, probabilities, labels, batch, gradient, sampleWeights);
}
