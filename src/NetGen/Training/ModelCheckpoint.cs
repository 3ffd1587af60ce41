using System;

namespace NetGen.Training;

/// <summary>
/// Saves the model's weights (safetensors, written atomically) after each epoch, or with <c>saveBestOnly</c> only when
/// the monitored metric improves, as Keras's <c>ModelCheckpoint</c>. The path may name the epoch and the metrics as
/// Keras's does: <c>ckpt-{epoch:02d}-{val_loss:.4f}.safetensors</c>. Its folder is created if it does not exist.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly MonitoredMetric _metric;
    private readonly CheckpointPath _path;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">Where to write, e.g. <c>best.safetensors</c> or <c>epoch-{epoch:02d}.safetensors</c>.</param>
    /// <param name="monitor"><c>val_loss</c>, <c>val_accuracy</c>, <c>loss</c> or <c>accuracy</c>; only consulted with <paramref name="saveBestOnly"/>.</param>
    /// <param name="saveBestOnly">Write only when the monitored metric improves.</param>
    /// <param name="mode"><c>auto</c> (as <see cref="EarlyStopping"/>: up for accuracy, precision, recall, auc; down for losses, mae, mse), <c>min</c> or <c>max</c>.</param>
    /// <param name="includeOptimizer">
    /// Write checkpoints to resume training from (<see cref="NetworkWeights.SaveCheckpoint"/>: the weights, the optimizer's
    /// state and the training position) instead of the weights alone.
    /// </param>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto", bool includeOptimizer = false)
    {
        IncludeOptimizer = includeOptimizer;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        SaveBestOnly = saveBestOnly;
        _metric = new MonitoredMetric(monitor, mode, 0f);
        _path = new CheckpointPath(path);
    }

    /// <summary>The path template.</summary>
    public string Path { get; }

    /// <summary>Whether only improvements are written.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether checkpoints with the optimizer's state are written rather than weights alone.</summary>
    public bool IncludeOptimizer { get; }

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
        // As in Keras, the monitored metric matters only with saveBestOnly; otherwise every epoch is saved, whether or
        // not the training measures it.
        if (SaveBestOnly)
        {
            if (!_metric.Improves(logs, nameof(ModelCheckpoint)))
            {
                return;
            }
        }
        else if (logs[_metric.Name] is not null)
        {
            _ = _metric.Improves(logs, nameof(ModelCheckpoint)); // only to keep Best up to date
        }

        string file = System.IO.Path.GetFullPath(_path.For(logs));
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        if (IncludeOptimizer)
        {
            model.SaveCheckpoint(file);
        }
        else
        {
            model.SaveWeights(file);
        }

        LastSavedEpoch = logs.Epoch;
    }
}
