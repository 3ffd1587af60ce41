using System;

namespace NetGen.Training;

/// <summary>
/// Hooks into <c>Fit</c>, Keras style. Override what you need; set <see cref="Network.StopTraining"/> to end
/// training after the current batch (from <see cref="OnBatchEnd"/>) or epoch (from <see cref="OnEpochEnd"/>), as in Keras 3.
/// </summary>
public abstract class Callback
{
    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin(Network model)
    {
    }

    /// <summary>Called before each epoch (0-based).</summary>
    public virtual void OnEpochBegin(Network model, int epoch)
    {
    }

    /// <summary>Called after each training step with the epoch's running figures. Keep it cheap: it runs every step.</summary>
    public virtual void OnBatchEnd(Network model, in BatchLogs logs)
    {
    }

    /// <summary>Called after each epoch (and its validation) with its figures.</summary>
    public virtual void OnEpochEnd(Network model, EpochLogs logs)
    {
    }

    /// <summary>
    /// Called after <see cref="OnTrainBegin"/> with each warning about the training run, such as a
    /// <c>validationSplit</c> whose parts do not hold the same classes; <see cref="History.Warnings"/> keeps them too.
    /// </summary>
    public virtual void OnWarning(Network model, string message)
    {
    }

    /// <summary>Called once after the last epoch, also when a callback stopped training early.</summary>
    public virtual void OnTrainEnd(Network model, History history)
    {
    }
}

/// <summary>A callback made from a delegate, for one-off hooks such as printing every n epochs.</summary>
public sealed class LambdaCallback(Action<Network, EpochLogs> onEpochEnd) : Callback
{
    private readonly Action<Network, EpochLogs> _onEpochEnd = onEpochEnd ?? throw new ArgumentNullException(nameof(onEpochEnd));

    /// <inheritdoc/>
    public override void OnEpochEnd(Network model, EpochLogs logs) => _onEpochEnd(model, logs);
}
