using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Data;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>
/// Checks Keras's <c>validation_split</c> on class-sorted data: the last samples, taken before shuffling, may hold one
/// class only (val_accuracy 0.04 with no hint). The split stays Keras's; <c>Fit</c> warns when the two parts do not
/// share their classes.
/// </summary>
internal static class SplitClasses
{
    /// <summary>The most class names a warning lists per part; the rest are counted.</summary>
    private const int MaxNamed = 20;

    /// <summary>
    /// The warning for a split of <paramref name="data"/> at <paramref name="trainCount"/>, or null when both parts hold
    /// the same classes or the loss is not a single-label classification.
    /// </summary>
    public static string? Warning(NetworkInfo info, Dataset data, int trainCount, double validationSplit)
    {
        if (!Metrics.HasAccuracy(info.Loss) || (info.Loss == Loss.BinaryCrossEntropy && info.OutputSize != 1))
        {
            return null; // regression, or independent sigmoid outputs: no one class per sample
        }

        SortedSet<int> train = Classes(info, data, 0, trainCount), validation = Classes(info, data, trainCount, data.Count);
        int[] onlyTrain = [.. train.Except(validation)], onlyValidation = [.. validation.Except(train)];
        if (onlyTrain.Length == 0 && onlyValidation.Length == 0)
        {
            return null;
        }

        var parts = new List<string>(2);
        if (onlyTrain.Length > 0)
        {
            parts.Add($"{Names(onlyTrain)} {(onlyTrain.Length == 1 ? "is" : "are")} in training but not in validation");
        }

        if (onlyValidation.Length > 0)
        {
            parts.Add($"{Names(onlyValidation)} {(onlyValidation.Length == 1 ? "is" : "are")} in validation but not in training");
        }

        return $"validationSplit {validationSplit.ToString(CultureInfo.InvariantCulture)} holds out the last {data.Count - trainCount} of {data.Count} samples, " +
            $"before shuffling (as Keras does), and the two parts do not hold the same classes: {string.Join("; ", parts)}. " +
            "If the data is sorted by class, shuffle it first (data.Shuffle(seed)), or split it with data.Split(fraction, seed, stratify: true) and pass the second part as validationData.";
    }

    private static SortedSet<int> Classes(NetworkInfo info, Dataset data, int start, int end)
    {
        var classes = new SortedSet<int>();
        for (int i = start; i < end; i++)
        {
            ReadOnlySpan<float> target = data.TargetsOf(i);
            classes.Add(info.Loss switch
            {
                Loss.SparseCategoricalCrossEntropy => (int)target[0],
                Loss.BinaryCrossEntropy => target[0] > 0.5f ? 1 : 0,
                _ => RowReductions.ArgMax(target),
            });
        }

        return classes;
    }

    private static string Names(int[] classes)
    {
        string names = string.Join(", ", classes.Take(MaxNamed).Select(c => c.ToString(CultureInfo.InvariantCulture)));
        return (classes.Length == 1 ? "class " : "classes ") + names + (classes.Length > MaxNamed ? $" … ({classes.Length} in all)" : string.Empty);
    }
}
