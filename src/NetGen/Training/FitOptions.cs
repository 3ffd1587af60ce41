using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>How <see cref="Trainer.Fit"/> trains.</summary>
/// <param name="Epochs">Passes over the data (≥ 1).</param>
/// <param name="BatchSize">Samples per step (≥ 1).</param>
/// <param name="Shuffle">Reshuffle before each epoch.</param>
/// <param name="Seed">Seeds shuffling and dropout; null draws one.</param>
/// <param name="Verbose">0 silent, 1 or 2 one line per epoch.</param>
/// <param name="Callbacks">Hooks.</param>
public sealed record FitOptions(int Epochs, int BatchSize, bool Shuffle, int? Seed, int Verbose, IReadOnlyList<Callback> Callbacks)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs, "epochs");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, "batchSize");
        if (Verbose is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException("verbose", Verbose, "verbose must be 0 (silent), 1 or 2.");
        }
    }
}
