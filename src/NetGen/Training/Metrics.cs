using System;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>Accuracy as Keras picks it from the loss: binary (threshold 0.5), categorical (argmax) or sparse categorical (argmax vs label).</summary>
public static class Metrics
{
    /// <summary>Whether accuracy is meaningful for the loss (classification losses only).</summary>
    public static bool HasAccuracy(Loss loss) => loss is Loss.BinaryCrossEntropy or Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy;

    /// <summary>
    /// Counts correct predictions in a batch, and returns how many predictions were judged (samples, or for binary
    /// outputs every output unit, as Keras's binary_accuracy averages over them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int Correct, int Total) Accuracy(Loss loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        int expectedTargets = loss == Loss.SparseCategoricalCrossEntropy ? batch : outputs.Length;
        if (outputs.Length == 0 || outputs.Length % batch != 0 || targets.Length != expectedTargets)
        {
            throw new ArgumentException(
                $"Expected a non-zero number of outputs that is a multiple of the batch size {batch} and {(loss == Loss.SparseCategoricalCrossEntropy ? "one label per sample" : "one target per output")}; received {outputs.Length} outputs and {targets.Length} targets.");
        }

        int outputSize = outputs.Length / batch;
        int correct = 0;
        switch (loss)
        {
            case Loss.BinaryCrossEntropy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    if ((outputs[i] > 0.5f) == (targets[i] > 0.5f))
                    {
                        correct++;
                    }
                }

                return (correct, outputs.Length);
            case Loss.CategoricalCrossEntropy:
                for (int b = 0; b < batch; b++)
                {
                    if (RowReductions.ArgMax(outputs.Slice(b * outputSize, outputSize)) ==
                        RowReductions.ArgMax(targets.Slice(b * outputSize, outputSize)))
                    {
                        correct++;
                    }
                }

                return (correct, batch);
            case Loss.SparseCategoricalCrossEntropy:
                for (int b = 0; b < batch; b++)
                {
                    if (RowReductions.ArgMax(outputs.Slice(b * outputSize, outputSize)) == (int)targets[b])
                    {
                        correct++;
                    }
                }

                return (correct, batch);
            default:
                return (0, 0);
        }
    }
}
