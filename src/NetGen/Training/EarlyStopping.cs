using System;

namespace NetGen.Training;

/// <summary>
/// Stops training when a monitored metric has stopped improving, as Keras's <c>EarlyStopping</c>: after
/// <see cref="Patience"/> epochs without an improvement larger than <see cref="MinDelta"/>. With
/// <see cref="RestoreBestWeights"/> the model ends training with the parameters of its best epoch.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private float[]? _bestWeights;
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor"><c>val_loss</c>, <c>val_accuracy</c>, <c>loss</c> or <c>accuracy</c>.</param>
    /// <param name="patience">Epochs without improvement before stopping.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Restore the best epoch's parameters when training ends.</param>
    /// <param name="mode"><c>auto</c> (accuracy is maximized, losses minimized), <c>min</c> or <c>max</c>.</param>
    public EarlyStopping(string monitor = "val_loss", int patience = 0, float minDelta = 0f, bool restoreBestWeights = false, string mode = "auto")
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        _ = new EpochLogs(0, 0, null, TimeSpan.Zero)[monitor]; // throws for an unknown metric name, now rather than mid-training
        Monitor = monitor;
        Patience = patience;
        MinDelta = Math.Abs(minDelta);
        RestoreBestWeights = restoreBestWeights;
        Maximize = mode switch
        {
            "auto" => monitor.EndsWith("accuracy", StringComparison.Ordinal),
            "max" => true,
            "min" => false,
            _ => throw new ArgumentException($"mode must be auto, min or max, received '{mode}'.", nameof(mode)),
        };
    }

    /// <summary>The metric watched.</summary>
    public string Monitor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether the best epoch's parameters are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Whether larger is better.</summary>
    public bool Maximize { get; }

    /// <summary>The best value seen (NaN before the first epoch).</summary>
    public float Best { get; private set; } = float.NaN;

    /// <summary>0-based epoch of the best value, or −1.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>0-based epoch after which training was stopped, or −1 if it ran to the end.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <inheritdoc/>
    public override void OnTrainBegin(Network model)
    {
        _wait = 0;
        Best = float.NaN;
        BestEpoch = StoppedEpoch = -1;
        _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Network model, EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(logs);
        float value = logs[Monitor] ?? throw new InvalidOperationException(
            $"EarlyStopping monitors '{Monitor}', which this training does not measure: " +
            (Monitor.StartsWith("val_", StringComparison.Ordinal) ? "pass validationSplit or validationData to Fit." : "accuracy needs a classification loss."));

        bool improved = BestEpoch < 0 || (Maximize ? value - MinDelta > Best : value + MinDelta < Best);
        if (improved)
        {
            Best = value;
            BestEpoch = logs.Epoch;
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
            _bestWeights.CopyTo(model.Parameters);
        }
    }
}
