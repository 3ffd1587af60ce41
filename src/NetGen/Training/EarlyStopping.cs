using System;

namespace NetGen.Training;

/// <summary>
/// Stops training when a monitored metric has stopped improving, as Keras's <c>EarlyStopping</c>: after
/// <see cref="Patience"/> epochs without an improvement larger than <see cref="MinDelta"/>. With
/// <see cref="RestoreBestWeights"/> the model ends training with the parameters of its best epoch.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly MonitoredMetric _metric;
    private float[]? _bestWeights;
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor"><c>val_loss</c>, <c>val_accuracy</c>, <c>loss</c> or <c>accuracy</c>.</param>
    /// <param name="patience">Epochs without improvement before stopping.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Restore the best epoch's parameters when training ends.</param>
    /// <param name="mode"><c>auto</c> (accuracy, precision, recall and auc are maximized; losses, mae and mse minimized), <c>min</c> or <c>max</c>.</param>
    public EarlyStopping(string monitor = "val_loss", int patience = 0, float minDelta = 0f, bool restoreBestWeights = false, string mode = "auto")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        _metric = new MonitoredMetric(monitor, mode, minDelta);
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>The metric watched.</summary>
    public string Monitor => _metric.Name;

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta => _metric.MinDelta;

    /// <summary>Whether the best epoch's parameters are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Whether larger is better.</summary>
    public bool Maximize => _metric.Maximize;

    /// <summary>The best value seen (NaN before the first epoch).</summary>
    public float Best => _metric.Best;

    /// <summary>0-based epoch of the best value, or −1.</summary>
    public int BestEpoch => _metric.BestEpoch;

    /// <summary>0-based epoch after which training was stopped, or −1 if it ran to the end.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <inheritdoc/>
    public override void OnTrainBegin(Network model)
    {
        _wait = 0;
        _metric.Reset();
        StoppedEpoch = -1;
        _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Network model, EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(logs);
        if (_metric.Improves(logs, nameof(EarlyStopping)))
        {
            _wait = 0;
            if (RestoreBestWeights)
            {
                _bestWeights ??= new float[model.Parameters.Length];
                model.Parameters.CopyTo(_bestWeights);
            }

            return;
        }

        if (++_wait >= Patience) // Keras: patience counts the epochs without improvement, so 0 and 1 both stop at the first
        {
            StoppedEpoch = logs.Epoch;
            model.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Network model, History history)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (RestoreBestWeights && _bestWeights is not null)
        {
            model.ReplaceParameters(_bestWeights, loadedFromFile: false);
        }
    }
}
