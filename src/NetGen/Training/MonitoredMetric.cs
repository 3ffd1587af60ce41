using System;

namespace NetGen.Training;

/// <summary>
/// The best value so far of a metric a callback watches (<c>val_loss</c>, <c>accuracy</c>, …) and whether a new value
/// improves on it: shared by <see cref="EarlyStopping"/> and <see cref="ModelCheckpoint"/>.
/// </summary>
internal sealed class MonitoredMetric
{
    public MonitoredMetric(string monitor, string mode, float minDelta)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        EpochLogs.CheckMetricName(monitor); // now rather than mid-training
        Name = monitor;
        MinDelta = Math.Abs(minDelta);
        Maximize = mode switch
        {
            // Keras 3 asks the metric for its direction: up for accuracy, precision, recall and auc, down for loss and errors.
            "auto" => Metric.IsMaximized(monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor),
            "max" => true,
            "min" => false,
            _ => throw new ArgumentException($"mode must be auto, min or max, received '{mode}'.", nameof(mode)),
        };
    }

    public string Name { get; }

    public float MinDelta { get; }

    public bool Maximize { get; }

    public float Best { get; private set; } = float.NaN;

    public int BestEpoch { get; private set; } = -1;

    public void Reset()
    {
        Best = float.NaN;
        BestEpoch = -1;
    }

    /// <summary>Reads the metric from <paramref name="logs"/>; records and returns true if it improves on the best.</summary>
    public bool Improves(EpochLogs logs, string callback)
    {
        float value = logs[Name] ?? throw new InvalidOperationException(
            $"{callback} monitors '{Name}', which this training does not measure: " +
            (Name.StartsWith("val_", StringComparison.Ordinal) ? "pass validationSplit or validationData to Fit (and compile the metric)." :
             Name == "accuracy" ? "accuracy needs a classification loss." : "pass the metric to Compile (model.Compile(optimizer, [Metric…]))."));
        // NaN is never an improvement, not even as the first value: Keras 3 takes any first value as its best, NaN too,
        // and then no later value can beat it; here training can still pick up a real best.
        bool better = !float.IsNaN(value) && (BestEpoch < 0 || (Maximize ? value - MinDelta > Best : value + MinDelta < Best));
        if (better)
        {
            Best = value;
            BestEpoch = logs.Epoch;
        }

        return better;
    }
}
