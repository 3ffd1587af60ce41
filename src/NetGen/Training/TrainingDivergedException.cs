using System;

namespace NetGen.Training;

/// <summary>Thrown when a training step's loss is NaN or infinite. The step was not applied: the parameters hold the last finite values.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for a step.</summary>
    public TrainingDivergedException(int epoch, int step, float loss)
        : base($"Training diverged: the loss was {loss} at epoch {epoch + 1}, step {step + 1}. The parameters keep their last finite values; try a lower learning rate or check the data's scale.")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>0-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>0-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>The non-finite loss.</summary>
    public float Loss { get; }
}
