using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>
/// Turns Keras's <c>class_weight</c> or <c>sample_weight</c> into one weight per sample, checked before training starts.
/// As in Keras 3, a class missing from the class weights weighs 1, a one-hot or probability target's class is its
/// argmax, a binary target's class is the target rounded, and the two cannot be given together.
/// </summary>
internal static class FitWeights
{
    /// <summary>One weight per sample of <paramref name="data"/>, or null when neither is given.</summary>
    public static float[]? Resolve(NetworkInfo info, Dataset data, IReadOnlyDictionary<int, float>? classWeight, IReadOnlyList<float>? sampleWeight)
    {
        if (classWeight is not null && sampleWeight is not null)
        {
            throw new ArgumentException(
                "classWeight and sampleWeight cannot both be given (Keras refuses them together too): multiply each sample's class weight into sampleWeight.", nameof(classWeight));
        }

        if (sampleWeight is not null)
        {
            return FromSampleWeight(data, sampleWeight);
        }

        return classWeight is null ? null : FromClassWeight(info, data, classWeight);
    }

    private static float[] FromSampleWeight(Dataset data, IReadOnlyList<float> sampleWeight)
    {
        if (sampleWeight.Count != data.Count)
        {
            throw new ArgumentException(
                $"sampleWeight has {sampleWeight.Count} values but the data has {data.Count} samples: give one weight per sample (validationSplit's samples included).", nameof(sampleWeight));
        }

        var weights = new float[data.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = Check(sampleWeight[i], $"sampleWeight[{i}]", nameof(sampleWeight));
        }

        return weights;
    }

    private static float[] FromClassWeight(NetworkInfo info, Dataset data, IReadOnlyDictionary<int, float> classWeight)
    {
        bool binary = info.Loss == Loss.BinaryCrossEntropy && info.OutputSize == 1;
        if (!binary && info.Loss is not (Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy))
        {
            throw new ArgumentException(
                $"classWeight needs one class per sample, but {info.Name} has {info.Loss} with {info.OutputSize} output{(info.OutputSize == 1 ? "" : "s")}: " +
                "use a single sigmoid output, a categorical output, or sampleWeight.", nameof(classWeight));
        }

        int classes = binary ? 2 : info.OutputSize;
        var perClass = new float[classes];
        perClass.AsSpan().Fill(1f);
        foreach (var (label, weight) in classWeight)
        {
            if (label < 0 || label >= classes)
            {
                throw new ArgumentException(
                    $"classWeight has a weight for class {label}, but {info.Name} has classes 0 to {classes - 1}.", nameof(classWeight));
            }

            perClass[label] = Check(weight, $"classWeight[{label}]", nameof(classWeight));
        }

        var weights = new float[data.Count];
        int targetSize = data.TargetSize;
        for (int i = 0; i < weights.Length; i++)
        {
            ReadOnlySpan<float> target = data.Targets.Slice(i * targetSize, targetSize);
            int label = info.Loss == Loss.CategoricalCrossEntropy ? RowReductions.ArgMax(target)
                : binary ? (int)Math.Clamp(MathF.Round(target[0], MidpointRounding.ToEven), 0, 1)
                : Losses.LossChecks.Label(target[0], classes, i);
            weights[i] = perClass[label];
        }

        return weights;
    }

    private static float Check(float weight, string what, string parameter)
    {
        if (!float.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, weight, $"{what} is {weight}: weights must be finite and not negative.");
        }

        return weight;
    }
}
