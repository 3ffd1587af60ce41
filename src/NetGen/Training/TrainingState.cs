using System;

namespace NetGen.Training;

/// <summary>
/// Where a model's training stands, so that <c>Fit(…, initialEpoch: n)</c> continues an earlier run exactly: the seed
/// of its shuffles and how many it has made (replayed to rebuild both the sample order and the shuffle generator), the
/// number of training samples, and the epochs completed. The dropout generator is the model's own
/// <see cref="Network.TrainingRng"/>, which simply carries on. Checkpoints save all of it (<see cref="NetworkWeights.SaveCheckpoint"/>).
/// </summary>
internal sealed class TrainingState(int seed, int samples, int epoch)
{
    /// <summary>The seed of the run's shuffles (and, as ~seed, of its dropout masks).</summary>
    public int Seed { get; } = seed;

    /// <summary>The number of training samples the run shuffles.</summary>
    public int Samples { get; } = samples;

    /// <summary>Shuffles made so far: one per shuffled epoch.</summary>
    public int Shuffles { get; set; }

    /// <summary>Epochs completed: the <c>initialEpoch</c> that continues the run.</summary>
    public int Epoch { get; set; } = epoch;

    /// <summary>
    /// Starts <c>Fit</c>'s generators: continues <paramref name="model"/>'s run when <paramref name="options"/> asks to
    /// resume at the epoch it reached, else seeds a new run. Returns the shuffle generator, with
    /// <paramref name="order"/> (0, 1, 2… on entry) shuffled as the run left it.
    /// </summary>
    /// <exception cref="ArgumentException">The run would continue on other data or with another seed.</exception>
    public static Rng Start(Network model, FitOptions options, int[] order)
    {
        if (options.InitialEpoch > 0 && model.Progress is { } progress && progress.Epoch == options.InitialEpoch)
        {
            if (progress.Samples != order.Length)
            {
                throw new ArgumentException(
                    $"{model.Info.Name} trained on {progress.Samples} samples up to epoch {progress.Epoch}; resuming at initialEpoch {options.InitialEpoch} needs the same training data, but received {order.Length}.",
                    "data");
            }

            if (options.Seed is { } seed && seed != progress.Seed)
            {
                throw new ArgumentException(
                    $"{model.Info.Name}'s run up to epoch {progress.Epoch} was seeded with {progress.Seed}; resuming it at initialEpoch {options.InitialEpoch} continues that seed's shuffles and dropout. Pass seed: {progress.Seed} or none.",
                    "seed");
            }

            var resumed = new Rng(progress.Seed);
            for (int i = 0; i < progress.Shuffles; i++)
            {
                resumed.Shuffle(order);
            }

            return resumed;
        }

        int fresh = options.Seed ?? model.NextFitSeed(); // a seeded model's Fit is reproducible without a seed of its own
        model.TrainingRng = new Rng(~(long)fresh);
        model.Progress = new TrainingState(fresh, order.Length, options.InitialEpoch);
        return new Rng(fresh);
    }
}
