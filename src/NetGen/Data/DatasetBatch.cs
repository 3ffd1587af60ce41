using System;

namespace NetGen.Data;

/// <summary>
/// Consecutive samples of a <see cref="Dataset"/>, for a hand-written training loop:
/// <c>model.Forward(batch.Features.Span, batch.Count, training: true)</c>, then <c>Backward</c> with <see cref="Targets"/>.
/// </summary>
/// <param name="Features">The batch's features, row-major: <see cref="Count"/> rows of <see cref="Dataset.FeatureSize"/>.</param>
/// <param name="Targets">The batch's targets, row-major: <see cref="Count"/> rows of <see cref="Dataset.TargetSize"/>.</param>
/// <param name="Count">Samples in the batch.</param>
public readonly record struct DatasetBatch(ReadOnlyMemory<float> Features, ReadOnlyMemory<float> Targets, int Count);
