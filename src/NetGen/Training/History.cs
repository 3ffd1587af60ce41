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

    /// <summary>A metric by its Keras name (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>) per epoch; empty if it was not measured.</summary>
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

    /// <summary>A metric by its Keras name: <c>loss</c>, <c>accuracy</c>, <c>val_loss</c> or <c>val_accuracy</c>; null if not measured.</summary>
    public float? this[string metric] => metric switch
    {
        "loss" => Loss,
        "accuracy" => Accuracy,
        "val_loss" => ValidationLoss,
        "val_accuracy" => ValidationAccuracy,
        _ => throw new ArgumentException($"Unknown metric '{metric}': use loss, accuracy, val_loss or val_accuracy.", nameof(metric)),
    };

    private static readonly EpochLogs s_blank = new(0, 0, null, TimeSpan.Zero);

    /// <summary>Throws, as the indexer would, for a name that is not a metric: lets callbacks refuse one when created.</summary>
    internal static void CheckMetricName(string metric) => _ = s_blank[metric];
}

/// <summary>Running figures within an epoch, after each step.</summary>
/// <param name="Epoch">0-based epoch index.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">Mean loss over the epoch's samples so far.</param>
/// <param name="Accuracy">Accuracy over the epoch's samples so far, for classification losses.</param>
public readonly record struct BatchLogs(int Epoch, int Step, int Steps, float Loss, float? Accuracy);
