using System;
using System.Numerics.Tensors;

namespace NetGen.Data;

// Changing values: feature scaling and label encoding. Each returns a new dataset; the part left unchanged is shared.
public sealed partial class Dataset
{
    /// <summary>
    /// A dataset whose features are this one's multiplied by <paramref name="factor"/> (for example 1/255f for raw
    /// pixel values); the targets are shared, not copied.
    /// </summary>
    public Dataset Scale(float factor)
    {
        if (!float.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be a finite number.");
        }

        var features = new float[_features.Length];
        TensorPrimitives.Multiply(_features, factor, features);
        return new Dataset(features, FeatureSize, _targets, TargetSize);
    }

    /// <summary>
    /// Turns one integer class label per sample into a one-hot row of <paramref name="classes"/> floats (1 at the label,
    /// 0 elsewhere), as categorical cross-entropy expects. The features are shared, not copied.
    /// </summary>
    /// <exception cref="ArgumentException">The targets are not one integer label in [0, <paramref name="classes"/>) per sample.</exception>
    public Dataset ToOneHot(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        int[] labels = ClassLabels("One-hot encoding");
        var targets = new float[checked(Count * classes)];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new ArgumentException($"Sample {i} has label {labels[i]}, but one-hot encoding into {classes} classes needs labels in [0, {classes}).", nameof(classes));
            }

            targets[i * classes + labels[i]] = 1f;
        }

        return new Dataset(_features, FeatureSize, targets, classes);
    }

    /// <summary>The targets as class indices; <paramref name="operation"/> names what needs them, for the error message.</summary>
    internal int[] ClassLabels(string operation)
    {
        if (TargetSize != 1)
        {
            throw new InvalidOperationException(
                $"{operation} needs one integer class label per sample, but the targets have {TargetSize} values per sample.");
        }

        var labels = new int[Count];
        for (int i = 0; i < labels.Length; i++)
        {
            float label = _targets[i];
            if (!(label >= 0 && label <= int.MaxValue && label == MathF.Floor(label)))
            {
                throw new InvalidOperationException($"{operation} needs integer class labels ≥ 0, but sample {i} has target {label}.");
            }

            labels[i] = (int)label;
        }

        return labels;
    }
}
