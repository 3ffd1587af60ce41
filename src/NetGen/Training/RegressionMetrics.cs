using System;

namespace NetGen.Training;

/// <summary>
/// Regression metrics accumulated batch by batch and exact over the whole set: mean absolute error and the
/// coefficient of determination R² = 1 − SS_res / SS_tot per output, averaged uniformly over the outputs (scikit-learn's
/// <c>r2_score</c> default). Sums are kept in double.
/// </summary>
public sealed class RegressionMetrics
{
    private readonly double[] _sum, _sumSquares, _residualSquares;
    private double _absoluteErrors;
    private long _samples;

    /// <summary>Creates an accumulator for <paramref name="outputs"/> values per sample.</summary>
    public RegressionMetrics(int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        _sum = new double[outputs];
        _sumSquares = new double[outputs];
        _residualSquares = new double[outputs];
    }

    /// <summary>Adds a batch of predictions and targets (row-major, <c>outputs</c> per sample).</summary>
    public void Add(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        int k = _sum.Length;
        if (predictions.Length != targets.Length || predictions.Length % k != 0)
        {
            throw new ArgumentException($"Expected predictions and targets of the same length, a multiple of {k}; received {predictions.Length} and {targets.Length}.");
        }

        for (int i = 0; i < predictions.Length; i++)
        {
            int o = i % k;
            double t = targets[i], residual = t - predictions[i];
            _sum[o] += t;
            _sumSquares[o] += t * t;
            _residualSquares[o] += residual * residual;
            _absoluteErrors += Math.Abs(residual);
        }

        _samples += predictions.Length / k;
    }

    /// <summary>Mean absolute error over every output of every sample.</summary>
    public double MeanAbsoluteError => _absoluteErrors / (_samples * _sum.Length);

    /// <summary>R², averaged over the outputs. An output whose targets are all equal scores 1 if predicted exactly, else 0 (scikit-learn's convention).</summary>
    public double R2
    {
        get
        {
            double total = 0;
            for (int o = 0; o < _sum.Length; o++)
            {
                double mean = _sum[o] / _samples;
                double ssTot = _sumSquares[o] - (_samples * mean * mean);
                total += ssTot > 1e-12 * Math.Max(1, _sumSquares[o]) ? 1 - (_residualSquares[o] / ssTot) : _residualSquares[o] == 0 ? 1 : 0;
            }

            return total / _sum.Length;
        }
    }

    /// <summary>R² of <paramref name="predictions"/> against <paramref name="targets"/> in one call.</summary>
    public static double R2Score(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int outputs = 1)
    {
        var metrics = new RegressionMetrics(outputs);
        metrics.Add(predictions, targets);
        return metrics.R2;
    }
}
