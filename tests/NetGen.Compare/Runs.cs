using System;
using System.Collections.Generic;
using System.Linq;
using NetGen;
using NetGen.Data;

namespace NetGen.Compare;

/// <summary>A data set and how the comparison splits it: 20% test, stratified by class for classification.</summary>
/// <param name="Name">The name the peers load it by (see tests/peers/compare_common.py).</param>
/// <param name="Title">For the report.</param>
/// <param name="Data">The samples, with NetGen's feature scaling already applied.</param>
/// <param name="Stratify">Stratify the split by class label.</param>
/// <param name="FeatureScale">The factor NetGen scaled the raw features by (the peers apply the same).</param>
internal sealed record DataSpec(string Name, string Title, Dataset Data, bool Stratify, float FeatureScale = 1f)
{
    public const double TestFraction = 0.2;
}

/// <summary>
/// One network and its training settings, trained on every seed's split by NetGen and by the peer. The architecture
/// the peers build (hidden sizes, whether features are standardized) is read from the generated model itself.
/// </summary>
internal sealed record RunSpec(
    string Id, DataSpec Data, string Label, Func<int, Network> Create, float LearningRate, int BatchSize, int Epochs,
    double ValidationSplit = 0)
{
    /// <summary>Batch size 0 means the whole training set in one step per epoch.</summary>
    public bool FullBatch => BatchSize == 0;

    public NetworkInfo Info { get; } = Create(0).Info;

    public bool IsRegression => Info.Loss is Loss.MeanSquaredError or Loss.MeanAbsoluteError;

    public bool Standardize => Info.Layers.Any(l => l.Kind == LayerKind.Normalization);

    /// <summary>Units of every Dense layer but the output one.</summary>
    public IReadOnlyList<int> Hidden => [.. Info.Layers.Where(l => l.Kind == LayerKind.Dense).SkipLast(1).Select(l => l.OutputSize)];

    public string Describe(int trainCount)
    {
        string shape = string.Join("-", new[] { Info.InputSize }.Concat(Hidden).Append(Info.OutputSize));
        string batch = FullBatch ? $"full batch ({trainCount})" : $"batch {BatchSize}";
        string validation = ValidationSplit > 0 ? $", validationSplit {ValidationSplit}" : "";
        return FormattableString.Invariant(
            $"{shape} ReLU{(Standardize ? " + Normalization" : "")}, {Info.TrainableParameterCount} parameters, Adam({LearningRate}), {batch}, {Epochs} epochs{validation}");
    }
}

/// <summary>One trained model's figures.</summary>
/// <param name="Metric">Test accuracy (classification) or test R² (regression).</param>
/// <param name="Seconds">Wall time of the training call alone.</param>
/// <param name="EpochsRun">Epochs actually run (scikit-learn may stop early).</param>
/// <param name="FinalLoss">Training loss of the last epoch.</param>
/// <param name="FinalValidationLoss">Validation loss after the last epoch, if there is a validation split.</param>
internal sealed record RunResult(double Metric, double Seconds, int? EpochsRun, double? FinalLoss, double? FinalValidationLoss);
