using System;

namespace NetGen.Training;

/// <summary>
/// Thrown by <c>Fit</c> when a training step's loss is NaN or infinite. That step was not applied: the parameters hold
/// the values they had before it, or the best epoch's if an <see cref="EarlyStopping"/> with <c>restoreBestWeights</c>
/// restored them (every callback's <see cref="Callback.OnTrainEnd"/> runs before this is thrown). <see cref="History"/>
/// holds the epochs completed before it. If a callback's <see cref="Callback.OnTrainEnd"/> throws too, <c>Fit</c> throws
/// an <see cref="AggregateException"/> holding this exception first, then the callbacks'.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for a step.</summary>
    public TrainingDivergedException(int epoch, int step, float loss)
        : this(epoch, step, loss, likelyCause: null)
    {
    }

    /// <summary>Creates the exception for a step, naming what most likely caused it (see <see cref="LikelyCause"/>).</summary>
    public TrainingDivergedException(int epoch, int step, float loss, string? likelyCause)
        : base($"Training diverged: the loss was {loss} at epoch {epoch + 1}, step {step + 1}. That step was not applied, and the exception's History holds the epochs before it; " +
            (likelyCause is null ? "try a lower learning rate or check the data's scale." : $"likely cause: {likelyCause}."))
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
        LikelyCause = likelyCause;
    }

    /// <summary>
    /// The value that most likely made training diverge, when one stands out (an extreme LeakyReLU slope or learning
    /// rate, a weight that is not finite or has blown up); null otherwise.
    /// </summary>
    public string? LikelyCause { get; }

    /// <summary>0-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>0-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>The non-finite loss.</summary>
    public float Loss { get; }

    /// <summary>The epochs completed before training diverged (empty if it diverged in the first), as <c>Fit</c> would have returned them.</summary>
    public History History { get; internal set; } = new();
}
