using System;
using System.Runtime.CompilerServices;
using NetGen.Losses;

namespace NetGen.Training;

/// <summary>
/// The running state of one <see cref="Metric"/> over an epoch (or an evaluation): batches are added as they come and
/// the result is the metric over all of them so far. Allocated once per <c>Fit</c>; adding a batch allocates nothing.
/// </summary>
internal abstract class MetricState
{
    /// <summary>Forgets every batch (start of an epoch).</summary>
    public abstract void Reset();

    /// <summary>Adds a batch: <paramref name="outputs"/> as <c>Forward</c> returns them, targets as the loss takes them.</summary>
    public abstract void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch);

    /// <summary>The metric over every batch added since the last <see cref="Reset"/>.</summary>
    public abstract float Result();

    /// <summary>Keras's <c>divide_no_nan</c>: 0 where nothing was counted.</summary>
    protected static float Ratio(double numerator, double denominator) => denominator == 0 ? 0f : (float)(numerator / denominator);
}

/// <summary>Precision or recall at threshold 0.5 over every output unit; a target counts as positive when it is not 0, as Keras casts it to bool.</summary>
internal sealed class ConfusionState(MetricKind kind) : MetricState
{
    private long _truePositives, _falsePositives, _falseNegatives;

    public override void Reset() => _truePositives = _falsePositives = _falseNegatives = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            bool predicted = outputs[i] > 0.5f, actual = targets[i] != 0;
            _truePositives += predicted && actual ? 1 : 0;
            _falsePositives += predicted && !actual ? 1 : 0;
            _falseNegatives += !predicted && actual ? 1 : 0;
        }
    }

    public override float Result() => kind == MetricKind.Precision
        ? Ratio(_truePositives, _truePositives + _falsePositives)
        : Ratio(_truePositives, _truePositives + _falseNegatives);
}

/// <summary>
/// ROC AUC as Keras's <c>AUC(num_thresholds=200, curve="ROC", summation_method="interpolation")</c>: thresholds
/// −ε, 1/199, …, 198/199, 1 + ε; a score (clipped to [0, 1]) is predicted positive at threshold t when it is above t.
/// Keras buckets the scores the same way (<c>ceil(p·199)</c>, its evenly-distributed fast path); the curve's points
/// are joined by the trapezoidal rule.
/// </summary>
internal sealed class AucState : MetricState
{
    private const int Thresholds = 200;
    private readonly long[] _positives = new long[Thresholds], _negatives = new long[Thresholds];

    public override void Reset()
    {
        Array.Clear(_positives);
        Array.Clear(_negatives);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            float p = outputs[i] > 0f ? MathF.Min(outputs[i], 1f) : 0f; // NaN lands in the lowest bucket
            int bucket = (int)MathF.Ceiling(p * (Thresholds - 1));
            (targets[i] != 0 ? _positives : _negatives)[bucket]++;
        }
    }

    public override float Result()
    {
        // Threshold j ≥ 1 counts the scores in buckets above j; threshold 0 (−ε) counts every score.
        long positives = 0, negatives = 0;
        for (int b = 0; b < Thresholds; b++)
        {
            positives += _positives[b];
            negatives += _negatives[b];
        }

        // Threshold 0 predicts everything positive; a rate with nothing to divide by is 0 (Keras's divide_no_nan).
        double area = 0, previousTpr = positives == 0 ? 0 : 1, previousFpr = negatives == 0 ? 0 : 1;
        long truePositives = positives, falsePositives = negatives;
        for (int j = 1; j < Thresholds; j++)
        {
            truePositives -= _positives[j];
            falsePositives -= _negatives[j];
            if (j == 1)
            {
                // Bucket 0 holds the scores of exactly 0, which threshold 1/199 rejects as well.
                truePositives -= _positives[0];
                falsePositives -= _negatives[0];
            }

            double tpr = positives == 0 ? 0 : (double)truePositives / positives, fpr = negatives == 0 ? 0 : (double)falsePositives / negatives;
            area += (previousFpr - fpr) * (previousTpr + tpr) / 2;
            (previousTpr, previousFpr) = (tpr, fpr);
        }

        return (float)area;
    }
}

/// <summary>Top-k categorical accuracy: the true class (the label, or the argmax of a one-hot row) has fewer than k outputs strictly above it.</summary>
internal sealed class TopKState(int k, int classes, bool sparse) : MetricState
{
    private long _hits, _samples;

    public override void Reset() => _hits = _samples = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = outputs.Slice(b * classes, classes);
            int truth = sparse ? LossChecks.Label(targets[b], classes, b) : Kernels.RowReductions.ArgMax(targets.Slice(b * classes, classes));
            float score = row[truth];
            int above = 0;
            for (int c = 0; c < classes; c++)
            {
                above += row[c] > score ? 1 : 0;
            }

            _hits += above < k ? 1 : 0;
        }

        _samples += batch;
    }

    public override float Result() => Ratio(_hits, _samples);
}

/// <summary>Mean absolute or squared error over every output value, summed in double.</summary>
internal sealed class ErrorState(bool squared) : MetricState
{
    private double _sum;
    private long _count;

    public override void Reset()
    {
        _sum = 0;
        _count = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch)
    {
        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double e = (double)outputs[i] - targets[i];
            sum += squared ? e * e : Math.Abs(e);
        }

        _sum += sum;
        _count += outputs.Length;
    }

    public override float Result() => Ratio(_sum, _count);
}
