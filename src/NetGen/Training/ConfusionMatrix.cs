using System;
using System.Globalization;
using System.Text;
using NetGen.Data;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>
/// How often each true class was predicted as each class: <c>matrix[actual, predicted]</c>, rows are the true
/// classes (scikit-learn's convention), with per-class precision and recall.
/// </summary>
public sealed class ConfusionMatrix
{
    // Rows run through the model in slices of this many, so the output buffer stays small for any dataset.
    private const int Chunk = 1024;

    private readonly long[,] _counts;

    /// <summary>Wraps counts that were computed elsewhere; <paramref name="counts"/>[actual, predicted] (copied).</summary>
    public ConfusionMatrix(long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != counts.GetLength(1) || counts.GetLength(0) == 0)
        {
            throw new ArgumentException($"A confusion matrix is square with at least one class; received {counts.GetLength(0)}×{counts.GetLength(1)}.", nameof(counts));
        }

        foreach (long c in counts)
        {
            if (c < 0)
            {
                throw new ArgumentException($"Counts cannot be negative; received {c}.", nameof(counts));
            }

            Total += c;
        }

        _counts = (long[,])counts.Clone();
        ClassCount = counts.GetLength(0);
    }

    /// <summary>The number of classes (rows and columns).</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted.</summary>
    public long Total { get; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>The fraction of samples predicted correctly (the diagonal over the total); NaN if there are none.</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                correct += _counts[c, c];
            }

            return Total == 0 ? double.NaN : (double)correct / Total;
        }
    }

    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="data"/> in inference mode and counts true against predicted
    /// classes. The prediction is the argmax of the outputs; the true class is the label (sparse categorical
    /// cross-entropy) or the argmax of the one-hot target (categorical). A single sigmoid output under binary
    /// cross-entropy gives two classes, 0 and 1, split at 0.5 as Keras's binary accuracy does.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The model is trained with a regression loss, or with binary cross-entropy over several outputs (multi-label,
    /// where each output has its own 2×2 matrix), or the data does not fit it.
    /// </exception>
    public static ConfusionMatrix Compute(Network model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        NetworkInfo info = model.Info;
        if (!Metrics.HasAccuracy(info.Loss))
        {
            throw new ArgumentException(
                $"A confusion matrix needs a classifier, but {info.Name} is trained with {info.Loss}, a regression loss: its outputs are values, not classes.", nameof(model));
        }

        bool binary = info.Loss == Loss.BinaryCrossEntropy;
        if (binary && info.OutputSize != 1)
        {
            throw new ArgumentException(
                $"{info.Name} has {info.OutputSize} independent sigmoid outputs (multi-label binary cross-entropy), which do not form one set of classes; a confusion matrix needs a single sigmoid output or a softmax.", nameof(model));
        }

        DataChecks.Validate(info, data);
        int classes = binary ? 2 : info.OutputSize;
        int inSize = info.InputSize, outSize = info.OutputSize, tSize = info.TargetSize;
        var counts = new long[classes, classes];
        var outputs = new float[Math.Min(Chunk, data.Count) * outSize];
        for (int first = 0; first < data.Count; first += Chunk)
        {
            int n = Math.Min(Chunk, data.Count - first);
            Span<float> o = outputs.AsSpan(0, n * outSize);
            model.PredictBatch(data.Features.Slice(first * inSize, n * inSize), o);
            ReadOnlySpan<float> targets = data.Targets.Slice(first * tSize, n * tSize);
            for (int r = 0; r < n; r++)
            {
                ReadOnlySpan<float> row = o.Slice(r * outSize, outSize);
                ReadOnlySpan<float> target = targets.Slice(r * tSize, tSize);
                int actual, predicted;
                if (binary)
                {
                    actual = target[0] > 0.5f ? 1 : 0;
                    predicted = row[0] > 0.5f ? 1 : 0;
                }
                else
                {
                    actual = info.Loss == Loss.SparseCategoricalCrossEntropy ? (int)target[0] : RowReductions.ArgMax(target);
                    predicted = RowReductions.ArgMax(row);
                }

                counts[actual, predicted]++;
            }
        }

        return new ConfusionMatrix(counts);
    }

    /// <summary>Of the samples predicted as <paramref name="cls"/>, the fraction that truly are; NaN if none were predicted as it.</summary>
    public double Precision(int cls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cls);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cls, ClassCount);
        long predicted = 0;
        for (int a = 0; a < ClassCount; a++)
        {
            predicted += _counts[a, cls];
        }

        return predicted == 0 ? double.NaN : (double)_counts[cls, cls] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="cls"/>, the fraction predicted as it; NaN if the data has none.</summary>
    public double Recall(int cls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cls);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cls, ClassCount);
        long actual = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            actual += _counts[cls, p];
        }

        return actual == 0 ? double.NaN : (double)_counts[cls, cls] / actual;
    }

    /// <summary>The counts as a new array, [actual, predicted].</summary>
    public long[,] ToArray() => (long[,])_counts.Clone();

    /// <summary>The table, with classes numbered from 0; see <see cref="Format(string[])"/>.</summary>
    public override string ToString() => Format(null);

    /// <summary>
    /// An aligned text table: one row per true class with its counts for each predicted class and its recall, then
    /// a row of per-class precision, then the accuracy. Undefined ratios print as "n/a".
    /// </summary>
    /// <param name="classNames">A name per class for the row and column headings; null numbers them from 0.</param>
    public string Format(string[]? classNames)
    {
        if (classNames is not null && classNames.Length != ClassCount)
        {
            throw new ArgumentException($"Expected {ClassCount} class names, one per class; received {classNames.Length}.", nameof(classNames));
        }

        const string Corner = "true \\ predicted", PrecisionLabel = "precision", RecallLabel = "recall";
        var names = new string[ClassCount];
        for (int c = 0; c < ClassCount; c++)
        {
            names[c] = classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);
        }

        var precision = new string[ClassCount];
        var recall = new string[ClassCount];
        for (int c = 0; c < ClassCount; c++)
        {
            precision[c] = Ratio(Precision(c));
            recall[c] = Ratio(Recall(c));
        }

        // Column widths: the heading column fits every row label; each class column fits its name, its counts and a
        // ratio ("0.0000"), so the columns line up the same way whether or not a ratio is undefined.
        int ratioWidth = Ratio(0).Length;
        int first = Math.Max(Corner.Length, PrecisionLabel.Length);
        var widths = new int[ClassCount];
        for (int c = 0; c < ClassCount; c++)
        {
            first = Math.Max(first, names[c].Length);
            widths[c] = Math.Max(names[c].Length, ratioWidth);
            for (int a = 0; a < ClassCount; a++)
            {
                widths[c] = Math.Max(widths[c], Count(_counts[a, c]).Length);
            }
        }

        int recallWidth = Math.Max(RecallLabel.Length, ratioWidth);
        var text = new StringBuilder();
        text.Append(Corner.PadRight(first));
        for (int c = 0; c < ClassCount; c++)
        {
            text.Append("  ").Append(names[c].PadLeft(widths[c]));
        }

        text.Append("  ").Append(RecallLabel.PadLeft(recallWidth)).AppendLine();
        for (int a = 0; a < ClassCount; a++)
        {
            text.Append(names[a].PadRight(first));
            for (int c = 0; c < ClassCount; c++)
            {
                text.Append("  ").Append(Count(_counts[a, c]).PadLeft(widths[c]));
            }

            text.Append("  ").Append(recall[a].PadLeft(recallWidth)).AppendLine();
        }

        text.Append(PrecisionLabel.PadRight(first));
        for (int c = 0; c < ClassCount; c++)
        {
            text.Append("  ").Append(precision[c].PadLeft(widths[c]));
        }

        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"accuracy {Ratio(Accuracy)} over {Count(Total)} samples").AppendLine();
        return text.ToString();
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F4", CultureInfo.InvariantCulture);
}
