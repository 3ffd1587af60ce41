using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>How <see cref="Trainer.Fit"/> trains.</summary>
/// <param name="Epochs">Passes over the data (≥ 1).</param>
/// <param name="BatchSize">Samples per step (≥ 1).</param>
/// <param name="Shuffle">Reshuffle the training samples before each epoch.</param>
/// <param name="Seed">Seeds shuffling and dropout; null takes the next seed from the model's own: fixed for a seeded model, random for an unseeded one.</param>
/// <param name="Verbose">0 silent; 1 a progress bar redrawn in place (plain lines when output is redirected); 2 one line per epoch.</param>
/// <param name="Callbacks">Hooks.</param>
/// <param name="ValidationSplit">Fraction in [0, 1) of the data held out for validation: the last samples, before any shuffling, as in Keras.</param>
/// <param name="ValidationData">Explicit validation data; takes precedence over <paramref name="ValidationSplit"/>.</param>
/// <param name="ClassWeight">Keras's <c>class_weight</c>: a weight per class index for the training loss (classes left out weigh 1).</param>
/// <param name="SampleWeight">Keras's <c>sample_weight</c>: one weight per sample of the data (not with <paramref name="ClassWeight"/>).</param>
/// <param name="InitialEpoch">
/// The epoch to start at, as Keras's <c>initial_epoch</c>: epochs <c>InitialEpoch</c>..<c>Epochs</c> − 1 run, so
/// <see cref="Epochs"/> is where training ends, not how many epochs run. When the model's last run (in this process,
/// or loaded with <see cref="NetworkWeights.LoadCheckpoint"/>) reached this epoch, that run continues exactly: the same
/// shuffles and dropout masks as if it had never stopped.
/// </param>
public sealed record FitOptions(
    int Epochs,
    int BatchSize,
    bool Shuffle,
    int? Seed,
    int Verbose,
    IReadOnlyList<Callback> Callbacks,
    double ValidationSplit = 0,
    Dataset? ValidationData = null,
    IReadOnlyDictionary<int, float>? ClassWeight = null,
    IReadOnlyList<float>? SampleWeight = null,
    int InitialEpoch = 0)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs, "epochs");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, "batchSize");
        if (InitialEpoch < 0 || InitialEpoch >= Epochs)
        {
            throw new ArgumentOutOfRangeException("initialEpoch", InitialEpoch,
                $"initialEpoch must be in [0, epochs), received {InitialEpoch} with epochs {Epochs}: as in Keras, epochs is the epoch training ends at, so Fit(epochs: 10, initialEpoch: 5) runs the 6th to the 10th.");
        }
        if (Verbose is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException("verbose", Verbose, "verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch).");
        }

        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException("validationSplit", ValidationSplit, $"validationSplit must be in [0, 1), received {ValidationSplit}.");
        }
    }
}
