using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>What <c>Fit</c> measured, one entry per completed epoch (Keras's <c>History.history</c>).</summary>
public sealed class History
{
    private readonly List<EpochLogs> _epochs = [];

    /// <summary>Every epoch's figures, in order.</summary>
    public IReadOnlyList<EpochLogs> Epochs => _epochs;

    /// <summary>Mean training loss per epoch.</summary>
    public IReadOnlyList<float> Loss => _epochs.ConvertAll(e => e.Loss);

    /// <summary>Training accuracy per epoch (empty for regression losses).</summary>
    public IReadOnlyList<float> Accuracy => _epochs.TrueForAll(e => e.Accuracy.HasValue) ? _epochs.ConvertAll(e => e.Accuracy!.Value) : [];

    internal void Add(EpochLogs logs) => _epochs.Add(logs);
}

/// <summary>The figures of one epoch.</summary>
/// <param name="Epoch">0-based epoch index.</param>
/// <param name="Loss">Mean training loss over the epoch's samples.</param>
/// <param name="Accuracy">Training accuracy, for classification losses.</param>
/// <param name="Elapsed">Wall time of the epoch.</param>
/// <param name="ValidationLoss">Mean loss over the validation data, when there is some.</param>
/// <param name="ValidationAccuracy">Accuracy over the validation data, for classification losses, when there is some.</param>
public sealed record EpochLogs(int Epoch, float Loss, float? Accuracy, System.TimeSpan Elapsed, float? ValidationLoss = null, float? ValidationAccuracy = null);
