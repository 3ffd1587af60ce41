using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Losses;

/// <summary>
/// Categorical cross-entropy with one integer class label per sample (stored as a float), as Keras defines it:
/// L = −(1/batch)·Σ log p[label]. Labels that are not integers in [0, classes) throw, naming the sample, before
/// anything is written.
/// <list type="bullet">
/// <item><see cref="FromLogits"/>: log p = z − logsumexp(z); ∂L/∂z = (softmax(z) − onehot(label))/batch.</item>
/// <item><see cref="FromProbabilities"/>: like Keras (and <see cref="CategoricalCrossEntropy.FromProbabilities"/>),
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
    [SkipLocalsInit] // maxima and exponentials are written before they are read
    public static float FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int batch, Span<float> gradient)
    {
        int classes = LossChecks.Classes(logits, labels, batch, gradient);
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
                // −log p[label] = logsumexp(z) − z[label] = log Σ exp(z − max) + (max − z[label]). z is read before
                // this row's gradient is written, since the gradient may alias the logits.
                int label = (int)labels[first + r];
                ReadOnlySpan<double> e = exps.Slice(r * classes, classes);
                double total = CategoricalCrossEntropy.Sum(e);
                sum += Math.Log(total) + ((double)maxima[r] - zb[(r * classes) + label]);
                if (withGradient)
                {
                    SoftmaxRows.LabelGradient(e, 1.0 / total, label, scale, gradient.Slice((first + r) * classes, classes));
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
}
