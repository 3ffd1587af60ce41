using System;

namespace NetGen.Data;

/// <summary>
/// Samples in memory: features as float32 rows (row-major, <see cref="FeatureSize"/> per sample) and targets as
/// float rows (<see cref="TargetSize"/> per sample: a class index, a 0/1 label, a one-hot vector or regression values).
/// A dataset never changes its arrays: every operation (<see cref="Shuffle"/>, <see cref="Split"/>, <see cref="Scale"/>,
/// <see cref="ToOneHot"/>, …) returns a new dataset and leaves this one as it was.
/// </summary>
public sealed partial class Dataset
{
    private readonly float[] _features;
    private readonly float[] _targets;

    /// <summary>Wraps flat arrays (not copied).</summary>
    public Dataset(float[] features, int featureSize, float[] targets, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        if (features.Length % featureSize != 0)
        {
            throw new ArgumentException($"{features.Length} feature values are not a whole number of samples of {featureSize} features.", nameof(features));
        }

        Count = features.Length / featureSize;
        if (targets.Length != Count * targetSize)
        {
            throw new ArgumentException(
                $"{Count} samples need {Count * targetSize} target values ({targetSize} per sample); received {targets.Length}.", nameof(targets));
        }

        _features = features;
        _targets = targets;
        FeatureSize = featureSize;
        TargetSize = targetSize;
    }

    /// <summary>Samples as rows of <paramref name="x"/>, targets as rows of <paramref name="y"/>.</summary>
    public static Dataset From(float[,] x, float[,] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        SameRows(x.GetLength(0), y.GetLength(0));
        return new Dataset(Flatten(x), x.GetLength(1), Flatten(y), y.GetLength(1));
    }

    /// <summary>Samples as rows of <paramref name="x"/>, one target value per sample.</summary>
    public static Dataset From(float[,] x, float[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        SameRows(x.GetLength(0), y.Length);
        return new Dataset(Flatten(x), x.GetLength(1), (float[])y.Clone(), 1);
    }

    /// <summary>Samples as rows of <paramref name="x"/>, one integer class label per sample.</summary>
    public static Dataset From(float[,] x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        SameRows(x.GetLength(0), labels.Length);
        return new Dataset(Flatten(x), x.GetLength(1), Array.ConvertAll(labels, l => (float)l), 1);
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Floats per sample.</summary>
    public int FeatureSize { get; }

    /// <summary>Target floats per sample.</summary>
    public int TargetSize { get; }

    /// <summary>All features, row-major.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>All targets, row-major.</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> FeaturesOf(int index) => _features.AsSpan(index * FeatureSize, FeatureSize);

    /// <summary>The targets of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> TargetsOf(int index) => _targets.AsSpan(index * TargetSize, TargetSize);

    internal static float[] Flatten(float[,] values)
    {
        var flat = new float[values.Length];
        int cols = values.GetLength(1), i = 0;
        for (int r = 0; r < values.GetLength(0); r++)
        {
            for (int c = 0; c < cols; c++)
            {
                flat[i++] = values[r, c];
            }
        }

        return flat;
    }

    private static void SameRows(int samples, int targets)
    {
        if (samples != targets)
        {
            throw new ArgumentException($"Got {samples} samples but {targets} targets: every sample needs exactly one target row.");
        }
    }
}
