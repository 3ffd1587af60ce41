using System;
using System.Collections.Generic;

namespace NetGen.Data;

// Walking the samples in minibatches, for a custom training loop.
public sealed partial class Dataset
{
    /// <summary>
    /// The samples in order, <paramref name="batchSize"/> at a time (the last batch may be smaller). Batches are views
    /// of this dataset's arrays, not copies. For a random order, enumerate <c>Shuffle(seed).Batches(…)</c> each epoch.
    /// </summary>
    public IEnumerable<DatasetBatch> Batches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Enumerate(batchSize);
    }

    private IEnumerable<DatasetBatch> Enumerate(int batchSize)
    {
        for (int first = 0; first < Count; first += batchSize)
        {
            int n = Math.Min(batchSize, Count - first);
            yield return new DatasetBatch(
                _features.AsMemory(first * FeatureSize, n * FeatureSize), _targets.AsMemory(first * TargetSize, n * TargetSize), n);
        }
    }
}
