using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>What <c>Fit</c> measured, one entry per completed epoch (Keras's <c>History.history</c>).</summary>
public sealed class History
{
    private readonly List<EpochLogs> _epochs = [];
    private readonly List<string> _warnings = [];

    /// <summary>Every epoch's figures, in order.</summary>
    public IReadOnlyList<EpochLogs> Epochs => _epochs;

    /// <summary>Mean training loss per epoch.</summary>
    public IReadOnlyList<float> Loss => Metric("loss");

    /// <summary>Training accuracy per epoch (empty for regression losses).</summary>
    public IReadOnlyList<float> Accuracy => Metric("accuracy");

    /// <summary>Validation loss per epoch (empty without validation data).</summary>
    public IReadOnlyList<float> ValidationLoss => Metric("val_loss");

    /// <summary>Validation accuracy per epoch (empty without validation data or for regression).</summary>
    public IReadOnlyList<float> ValidationAccuracy => Metric("val_accuracy");

    /// <summary>
    /// A metric by its Keras name per epoch (<c>loss</c>, <c>accuracy</c>, a compiled <see cref="Training.Metric"/>'s name
    /// such as <c>auc</c> or <c>mae</c>, each also with <c>val_</c>); empty if it was not measured.
    /// </summary>
    public IReadOnlyList<float> Metric(string name)
    {
        var values = new List<float>(_epochs.Count);
        foreach (EpochLogs e in _epochs)
        {
            if (e[name] is not float v)
            {
                return [];
            }

            values.Add(v);
        }

        return values;
    }

    /// <summary>
    /// Warnings about the run, also passed to every callback's <see cref="Callback.OnWarning"/> and printed with the
    /// progress output: for example a <c>validationSplit</c> whose parts do not hold the same classes.
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    internal void Add(EpochLogs logs) => _epochs.Add(logs);

    internal void Warn(string message) => _warnings.Add(message);
}

/// <summary>The figures of one epoch.</summary>
/// <param name="Epoch">0-based epoch index.</param>
/// <param name="Loss">Mean training loss over the epoch's samples.</param>
/// <param name="Accuracy">Training accuracy, for classification losses.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
/// <param name="ValidationLoss">Mean loss on the validation data, when there is some.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation data, for classification losses.</param>
public sealed record EpochLogs(int Epoch, float Loss, float? Accuracy, TimeSpan Elapsed, float? ValidationLoss = null, float? ValidationAccuracy = null)
{
    /// <summary>The optimizer's learning rate during the epoch.</summary>
    public float LearningRate { get; init; }

    /// <summary>
    /// The compiled metrics' values (see <see cref="Network.Compile(Optimizers.Optimizer, IReadOnlyList{Training.Metric}?)"/>)
    /// by Keras name: <c>precision</c>, <c>auc</c>, <c>mae</c>, … for the training data, <c>val_precision</c>, … for the
    /// validation data.
    /// </summary>
    public IReadOnlyDictionary<string, float> Metrics { get; init; } = s_noMetrics;

    /// <summary>
    /// A metric by its Keras name: <c>loss</c>, <c>accuracy</c>, a compiled metric's name (<c>precision</c>, <c>recall</c>,
    /// <c>auc</c>, <c>top_k_categorical_accuracy</c>, <c>sparse_top_k_categorical_accuracy</c>, <c>mae</c>, <c>mse</c>), each
    /// also with <c>val_</c>; null if not measured.
    /// </summary>
    public float? this[string metric] => metric switch
    {
        "loss" => Loss,
        "accuracy" => Accuracy,
        "val_loss" => ValidationLoss,
        "val_accuracy" => ValidationAccuracy,
        _ when Metrics.TryGetValue(metric, out float value) => value,
        _ when IsMetricName(metric) => null,
        _ => throw new ArgumentException(
            $"Unknown metric '{metric}': use loss, accuracy, {string.Join(", ", Training.Metric.KnownNames)}, or one of them with val_.", nameof(metric)),
    };

    private static readonly IReadOnlyDictionary<string, float> s_noMetrics = System.Collections.ObjectModel.ReadOnlyDictionary<string, float>.Empty;

    /// <summary>The empty <see cref="Metrics"/> of a model without compiled metrics, shared (an epoch then allocates no dictionary).</summary>
    internal static IReadOnlyDictionary<string, float> NoMetrics => s_noMetrics;

    private static readonly EpochLogs s_blank = new(0, 0, null, TimeSpan.Zero);

    /// <summary>Throws, as the indexer would, for a name that is not a metric: lets callbacks refuse one when created.</summary>
    internal static void CheckMetricName(string metric) => _ = s_blank[metric];

    private static bool IsMetricName(string metric) =>
        Array.IndexOf(Training.Metric.KnownNames, metric.StartsWith("val_", StringComparison.Ordinal) ? metric[4..] : metric) >= 0;
}

/// <summary>Running figures within an epoch, after each step.</summary>
/// <param name="Epoch">0-based epoch index.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">Mean loss over the epoch's samples so far.</param>
/// <param name="Accuracy">Accuracy over the epoch's samples so far, for classification losses.</param>
/// <param name="Metrics">The compiled metrics over the epoch's samples so far, by Keras name; a view of a buffer that the next step overwrites, so copy what you keep.</param>
public readonly record struct BatchLogs(int Epoch, int Step, int Steps, float Loss, float? Accuracy, ReadOnlyMemory<KeyValuePair<string, float>> Metrics = default);
