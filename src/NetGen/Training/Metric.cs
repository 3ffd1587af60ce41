using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>
/// A metric to measure besides the loss (and accuracy, which classification losses always get), Keras's
/// <c>compile(metrics=[…])</c>: pass them to <see cref="Network.Compile(Optimizers.Optimizer, IReadOnlyList{Metric}?)"/>.
/// Each shows in <see cref="History"/>, <see cref="EpochLogs"/>, the progress bar and <see cref="Evaluation.Metrics"/>
/// under its Keras name (with <c>val_</c> for the validation data), and <see cref="EarlyStopping"/> and
/// <see cref="ModelCheckpoint"/> can monitor it. A metric that does not fit the model's output is refused by
/// <c>Compile</c>.
/// </summary>
public sealed class Metric : IEquatable<Metric>
{
    /// <summary>Every name a metric can have in the logs, without the <c>val_</c> prefix.</summary>
    internal static readonly string[] KnownNames =
        ["precision", "recall", "auc", "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mae", "mse"];

    private Metric(MetricKind kind, int k = 0)
    {
        Kind = kind;
        K = k;
    }

    /// <summary>
    /// Precision of a sigmoid (binary cross-entropy) output, <c>precision</c>: TP/(TP + FP) with an output above 0.5
    /// counted as positive, over every output unit (0 when nothing is predicted positive), as Keras's <c>Precision()</c>.
    /// </summary>
    public static Metric Precision { get; } = new(MetricKind.Precision);

    /// <summary>Recall of a sigmoid (binary cross-entropy) output, <c>recall</c>: TP/(TP + FN), threshold 0.5, as Keras's <c>Recall()</c>.</summary>
    public static Metric Recall { get; } = new(MetricKind.Recall);

    /// <summary>
    /// Area under the ROC curve of a sigmoid (binary cross-entropy) output, <c>auc</c>, computed as Keras's
    /// <c>AUC()</c> does: 200 evenly spaced thresholds and the trapezoidal rule, over every output unit. Scores that fall
    /// between the same two thresholds count as tied, so it can differ from the exact ROC AUC by up to about 1/200
    /// of the pairs; it equals it when no positive and negative score share such an interval.
    /// </summary>
    public static Metric Auc { get; } = new(MetricKind.Auc);

    /// <summary>Mean absolute error over every output value, <c>mae</c> (Keras's <c>"mae"</c>).</summary>
    public static Metric MeanAbsoluteError { get; } = new(MetricKind.MeanAbsoluteError);

    /// <summary>Mean squared error over every output value, <c>mse</c> (Keras's <c>"mse"</c>).</summary>
    public static Metric MeanSquaredError { get; } = new(MetricKind.MeanSquaredError);

    /// <summary>
    /// Whether the true class is among the <paramref name="k"/> highest outputs, for a categorical output:
    /// <c>top_k_categorical_accuracy</c> with one-hot targets, <c>sparse_top_k_categorical_accuracy</c> with labels
    /// (Keras's <c>TopKCategoricalAccuracy(k)</c> and <c>SparseTopKCategoricalAccuracy(k)</c>, default k = 5). A class
    /// tied with the true one does not push it out. <paramref name="k"/> must be less than the number of classes.
    /// </summary>
    public static Metric TopKAccuracy(int k = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        return new Metric(MetricKind.TopKAccuracy, k);
    }

    internal MetricKind Kind { get; }

    /// <summary>The k of a top-k accuracy, else 0.</summary>
    internal int K { get; }

    /// <summary>Whether a larger value is better (Keras's metric direction, used by <c>mode: "auto"</c>).</summary>
    internal static bool IsMaximized(string name) =>
        name.EndsWith("accuracy", StringComparison.Ordinal) || name is "precision" or "recall" or "auc";

    /// <summary>The name in the logs for a model with <paramref name="loss"/> (top-k depends on the target layout).</summary>
    internal string Name(Loss loss) => Kind switch
    {
        MetricKind.Precision => "precision",
        MetricKind.Recall => "recall",
        MetricKind.Auc => "auc",
        MetricKind.MeanAbsoluteError => "mae",
        MetricKind.MeanSquaredError => "mse",
        _ => loss == Loss.SparseCategoricalCrossEntropy ? "sparse_top_k_categorical_accuracy" : "top_k_categorical_accuracy",
    };

    /// <summary>Checks <paramref name="metrics"/> for <paramref name="info"/> (each fits, none twice) and returns a copy.</summary>
    internal static Metric[] CheckAll(NetworkInfo info, IReadOnlyList<Metric>? metrics)
    {
        if (metrics is null)
        {
            return [];
        }

        var copy = new Metric[metrics.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            Metric metric = metrics[i] ?? throw new ArgumentNullException(nameof(metrics), $"metrics[{i}] is null.");
            metric.Check(info);
            for (int j = 0; j < i; j++)
            {
                if (copy[j].Name(info.Loss) == metric.Name(info.Loss))
                {
                    throw new ArgumentException(
                        $"metrics holds {copy[j]} and {metric}, which would both be logged as '{metric.Name(info.Loss)}': give each metric once.", nameof(metrics));
                }
            }

            copy[i] = metric;
        }

        return copy;
    }

    /// <summary>Throws, saying why, unless the metric fits <paramref name="info"/>'s output and loss.</summary>
    internal void Check(NetworkInfo info)
    {
        string model = $"{info.Name} ({info.Loss}, {info.OutputSize} output{(info.OutputSize == 1 ? "" : "s")})";
        switch (Kind)
        {
            case MetricKind.Precision or MetricKind.Recall or MetricKind.Auc:
                if (info.Loss != Loss.BinaryCrossEntropy)
                {
                    throw new ArgumentException(
                        $"{this} needs binary outputs (a sigmoid output with BinaryCrossEntropy), but {model} is not one: " +
                        (info.Loss is Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy
                            ? "for several classes use accuracy, Metric.TopKAccuracy(k) or a ConfusionMatrix."
                            : "for regression use Metric.MeanAbsoluteError."), "metrics");
                }

                break;
            case MetricKind.TopKAccuracy:
                if (info.Loss is not (Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy))
                {
                    throw new ArgumentException(
                        $"{this} needs a categorical output (CategoricalCrossEntropy or SparseCategoricalCrossEntropy), but {model} is not one.", "metrics");
                }

                if (K >= info.OutputSize)
                {
                    throw new ArgumentException(
                        $"{this} needs k below the number of classes, but {model} has {info.OutputSize} classes: every sample would count as correct. Use k < {info.OutputSize}.", "metrics");
                }

                break;
            default:
                if (info.Loss == Loss.SparseCategoricalCrossEntropy)
                {
                    throw new ArgumentException(
                        $"{this} compares each output with a target value, but {model} takes one class label per sample: use accuracy or Metric.TopKAccuracy(k).", "metrics");
                }

                break;
        }
    }

    /// <summary>A fresh accumulator of this metric for <paramref name="info"/>'s outputs.</summary>
    internal MetricState CreateState(NetworkInfo info) => Kind switch
    {
        MetricKind.Precision or MetricKind.Recall => new ConfusionState(Kind),
        MetricKind.Auc => new AucState(),
        MetricKind.TopKAccuracy => new TopKState(K, info.OutputSize, info.Loss == Loss.SparseCategoricalCrossEntropy),
        _ => new ErrorState(squared: Kind == MetricKind.MeanSquaredError),
    };

    /// <inheritdoc/>
    public bool Equals(Metric? other) => other is not null && other.Kind == Kind && other.K == K;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Metric);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, K);

    /// <inheritdoc/>
    public override string ToString() => Kind == MetricKind.TopKAccuracy ? $"Metric.TopKAccuracy({K})" : $"Metric.{Kind}";
}

/// <summary>What a <see cref="Metric"/> measures.</summary>
internal enum MetricKind
{
    Precision,
    Recall,
    Auc,
    TopKAccuracy,
    MeanAbsoluteError,
    MeanSquaredError,
}
