using System;
using System.Globalization;

namespace NetGen.Training;

/// <summary>
/// Saves the model's weights (safetensors, written atomically) after each epoch, or with <c>saveBestOnly</c> only when
/// the monitored metric improves, as Keras's <c>ModelCheckpoint</c>. <c>{epoch}</c> in the path becomes the 1-based
/// epoch number.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly MonitoredMetric _metric;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">Where to write, e.g. <c>best.safetensors</c> or <c>epoch-{epoch}.safetensors</c>.</param>
    /// <param name="monitor"><c>val_loss</c>, <c>val_accuracy</c>, <c>loss</c> or <c>accuracy</c>.</param>
    /// <param name="saveBestOnly">Write only when the monitored metric improves.</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>.</param>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        SaveBestOnly = saveBestOnly;
        _metric = new MonitoredMetric(monitor, mode, 0f);
    }

    /// <summary>The path template.</summary>
    public string Path { get; }

    /// <summary>Whether only improvements are written.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>0-based epoch whose weights were written last, or −1.</summary>
    public int LastSavedEpoch { get; private set; } = -1;

    /// <summary>The best value of the monitored metric so far.</summary>
    public float Best => _metric.Best;

    /// <inheritdoc/>
    public override void OnTrainBegin(Network model)
    {
        _metric.Reset();
        LastSavedEpoch = -1;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Network model, EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(logs);
        bool improved = _metric.Improves(logs, nameof(ModelCheckpoint));
        if (SaveBestOnly && !improved)
        {
            return;
        }

        model.SaveWeights(Path.Replace("{epoch}", (logs.Epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        LastSavedEpoch = logs.Epoch;
    }
}
