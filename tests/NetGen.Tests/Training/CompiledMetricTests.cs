using System;
using System.Collections.Generic;
using System.IO;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

/// <summary>The metrics passed to Compile: their values against independent twins, their names in the logs, their refusals.</summary>
public sealed class CompiledMetricTests
{
    private static NetworkInfo Info<T>() where T : Network => typeof(T).Name switch
    {
        nameof(Xor221) => new Xor221(seed: 1).Info,
        nameof(SigmoidBce) => new SigmoidBce(seed: 1).Info,
        nameof(SparseClassifier) => new SparseClassifier(seed: 1).Info,
        nameof(OneHotClassifier) => new OneHotClassifier(seed: 1).Info,
        nameof(Regressor) => new Regressor(seed: 1).Info,
        _ => new Mlp(seed: 1).Info,
    };

    private static float Measure(Metric metric, NetworkInfo info, float[] outputs, float[] targets, int batch)
    {
        MetricState state = metric.CreateState(info);
        state.Add(outputs, targets, batch);
        return state.Result();
    }

    /// <summary>The exact ROC AUC by counting pairs: a positive scored above a negative counts 1, a tie 1/2 (scikit-learn's roc_auc_score).</summary>
    private static double PairCountingAuc(float[] scores, float[] labels)
    {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            for (int j = 0; j < scores.Length; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        return wins / pairs;
    }

    [Fact]
    public void Auc_equals_the_exact_pair_count_when_scores_sit_in_distinct_threshold_intervals()
    {
        // Scores at the middle of Keras's 199 intervals between thresholds, with ties across the classes: there the
        // 200-threshold trapezoid is exact, ties included.
        var rng = new Random(3);
        for (int round = 0; round < 20; round++)
        {
            int n = rng.Next(2, 300);
            var scores = new float[n];
            var labels = new float[n];
            for (int i = 0; i < n; i++)
            {
                scores[i] = (rng.Next(0, 199) + 0.5f) / 199f;
                labels[i] = rng.Next(2);
            }

            labels[0] = 1;
            labels[1] = 0;
            Assert.Equal(PairCountingAuc(scores, labels), Measure(Metric.Auc, Info<Xor221>(), scores, labels, n), 5);
        }
    }

    [Fact]
    public void Auc_is_Keras_200_threshold_approximation_not_the_exact_value()
    {
        // A positive at 0.501 and a negative at 0.500 fall between the same two thresholds (99/199 and 100/199): Keras
        // counts them as tied (0.5) where the exact AUC is 1. Scores of exactly 0 and 1 and clipped ones stay in range.
        Assert.Equal(0.5f, Measure(Metric.Auc, Info<Xor221>(), [0.501f, 0.500f], [1, 0], 2));
        Assert.Equal(1f, Measure(Metric.Auc, Info<Xor221>(), [1f, 0f], [1, 0], 2));
        Assert.Equal(0f, Measure(Metric.Auc, Info<Xor221>(), [-0.5f, 1.5f], [1, 0], 2));
        Assert.Equal(0.875f, Measure(Metric.Auc, Info<Xor221>(), [0.9f, 0.2f, 0.2f, 0.1f], [1, 1, 0, 0], 4)); // one tie in 4 pairs
        Assert.Equal(0f, Measure(Metric.Auc, Info<Xor221>(), [0.9f, 0.2f], [0, 0], 2)); // no positives: divide_no_nan
    }

    [Fact]
    public void Precision_and_recall_count_every_output_unit_at_threshold_0_5()
    {
        // 3 samples × 2 units: TP = 2 (0.9, 0.6), FP = 2 (0.8, 0.7), FN = 1 (0.5 is not above the threshold).
        float[] outputs = [0.9f, 0.8f, 0.5f, 0.1f, 0.6f, 0.7f];
        float[] targets = [1, 0, 1, 0, 1, 0];
        Assert.Equal(0.5f, Measure(Metric.Precision, Info<SigmoidBce>(), outputs, targets, 3));
        Assert.Equal(2f / 3, Measure(Metric.Recall, Info<SigmoidBce>(), outputs, targets, 3));
        Assert.Equal(0f, Measure(Metric.Precision, Info<SigmoidBce>(), [0.1f, 0.2f], [1, 1], 1)); // nothing predicted positive
    }

    [Fact]
    public void Top_k_accuracy_finds_the_true_class_among_the_k_highest_and_ties_do_not_push_it_out()
    {
        // 3 classes, k = 2. Sample 0: label 0 is lowest (miss). Sample 1: label 2 second (hit). Sample 2: label 1 tied
        // for second with class 2 (hit, as TensorFlow's in_top_k counts ties).
        float[] outputs = [0.1f, 0.5f, 0.4f, 0.5f, 0.1f, 0.4f, 0.6f, 0.2f, 0.2f];
        Assert.Equal(2f / 3, Measure(Metric.TopKAccuracy(2), Info<SparseClassifier>(), outputs, [0, 2, 1], 3));
        Assert.Equal(2f / 3, Measure(Metric.TopKAccuracy(2), Info<OneHotClassifier>(), outputs, [1, 0, 0, 0, 0, 1, 0, 1, 0], 3));
        Assert.Equal(1f / 3, Measure(Metric.TopKAccuracy(1), Info<SparseClassifier>(), outputs, [0, 2, 0], 3));
    }

    [Fact]
    public void Mae_and_mse_average_over_every_output_value()
    {
        float[] outputs = [1f, 2f, 3f, 5f];
        float[] targets = [0f, 2f, 5f, 4f];
        Assert.Equal(1f, Measure(Metric.MeanAbsoluteError, Info<Regressor>(), outputs, targets, 2));
        Assert.Equal(1.5f, Measure(Metric.MeanSquaredError, Info<Regressor>(), outputs, targets, 2));
    }

    [Fact]
    public void Compile_refuses_a_metric_that_does_not_fit_the_output()
    {
        var mlp = new Mlp(seed: 1);
        Assert.Contains("binary outputs", Assert.Throws<ArgumentException>(() => mlp.Compile(new Adam(), [Metric.Precision])).Message);
        Assert.Contains("k below the number of classes", Assert.Throws<ArgumentException>(() => mlp.Compile(new Adam(), [Metric.TopKAccuracy(10)])).Message);
        Assert.Contains("one class label per sample", Assert.Throws<ArgumentException>(() => mlp.Compile(new Adam(), [Metric.MeanAbsoluteError])).Message);
        Assert.Contains("categorical output", Assert.Throws<ArgumentException>(() => new Xor221(seed: 1).Compile(new Adam(), [Metric.TopKAccuracy(1)])).Message);
        Assert.Contains("Metric.MeanAbsoluteError", Assert.Throws<ArgumentException>(() => new Regressor(seed: 1).Compile(new Adam(), [Metric.Auc])).Message);
        Assert.Contains("give each metric once", Assert.Throws<ArgumentException>(() => mlp.Compile(new Adam(), [Metric.TopKAccuracy(3), Metric.TopKAccuracy(5)])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Metric.TopKAccuracy(0));

        // A refused Compile changes nothing; an accepted one replaces the metrics, as Keras's compile does.
        mlp.Compile(new Adam(), [Metric.TopKAccuracy(9)]);
        Assert.Throws<ArgumentException>(() => mlp.Compile(new Sgd(), [Metric.Recall]));
        Assert.IsType<Adam>(mlp.Optimizer);
        Assert.Equal([Metric.TopKAccuracy(9)], mlp.CompiledMetrics);
        mlp.Compile(new Adam());
        Assert.Empty(mlp.CompiledMetrics);
    }

    private static Dataset Diagonal(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n, 2];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = (float)rng.NextDouble();
            x[i, 1] = (float)rng.NextDouble();
            y[i] = x[i, 0] > x[i, 1] ? 1 : 0;
        }

        return Dataset.From(x, y);
    }

    [Fact]
    public void Fit_logs_compiled_metrics_under_Keras_names_and_validation_matches_Evaluate()
    {
        var model = new Xor221(seed: 2);
        model.Compile(new Adam(0.05f), [Metric.Precision, Metric.Recall, Metric.Auc, Metric.MeanAbsoluteError]);
        Dataset validation = Diagonal(64, 5);
        History history = model.Fit(Diagonal(256, 4), epochs: 5, batchSize: 16, seed: 1, verbose: 0, validationData: validation);
        foreach (string name in new[] { "precision", "recall", "auc", "mae", "val_precision", "val_recall", "val_auc", "val_mae" })
        {
            Assert.Equal(5, history.Metric(name).Count);
        }

        Assert.True(history.Metric("auc")[^1] > 0.9f);
        Evaluation evaluation = model.Evaluate(validation);
        Assert.Equal(["precision", "recall", "auc", "mae"], evaluation.Metrics.Keys);
        foreach (string name in new[] { "precision", "recall", "auc", "mae" })
        {
            Assert.Equal(evaluation.Metrics[name], history.Epochs[^1]["val_" + name]);
        }

        // A metric that is known but not compiled reads as not measured; an unknown name is an error.
        Assert.Empty(history.Metric("top_k_categorical_accuracy"));
        Assert.Throws<ArgumentException>(() => history.Metric("auroc"));
    }

    [Fact]
    public void Top_k_is_named_for_the_target_layout_and_shows_in_the_progress_line()
    {
        var model = new SparseClassifier(seed: 3);
        model.Compile(new Adam(), [Metric.TopKAccuracy(2)]);
        var rng = new Random(1);
        var x = new float[30, 6];
        var labels = new int[30];
        for (int i = 0; i < 30; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < 6; j++)
            {
                x[i, j] = (float)rng.NextDouble() + labels[i];
            }
        }

        var writer = new StringWriter();
        History history = model.Fit(x, labels, epochs: 2, batchSize: 10, seed: 1, verbose: 0, validationSplit: 0.2,
            callbacks: [new ProgressLogger(2, writer, epochs: 2)]);
        Assert.Equal(2, history.Metric("sparse_top_k_categorical_accuracy").Count);
        Assert.Matches(@"- accuracy: \d\.\d{4} - sparse_top_k_categorical_accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_sparse_top_k_categorical_accuracy: \d\.\d{4}\r?\n", writer.ToString());
    }

    [Fact]
    public void The_bar_shows_the_running_metrics()
    {
        var terminal = new StringWriter();
        var logger = new ProgressLogger(1, terminal, interactive: true, epochs: 1);
        var model = new Xor221(seed: 1);
        logger.OnEpochBegin(model, 0);
        System.Threading.Thread.Sleep(120); // past the redraw interval
        logger.OnBatchEnd(model, new BatchLogs(0, 1, 4, 0.5f, 0.75f, new KeyValuePair<string, float>[] { new("auc", 0.875f) }));
        Assert.Contains("accuracy: 0.7500 - auc: 0.8750", terminal.ToString());
    }

    [Theory]
    [InlineData("val_auc", true)]
    [InlineData("precision", true)]
    [InlineData("val_recall", true)]
    [InlineData("val_sparse_top_k_categorical_accuracy", true)]
    [InlineData("val_mae", false)]
    [InlineData("mse", false)]
    public void Auto_mode_follows_the_metric_direction(string monitor, bool maximized)
    {
        Assert.Equal(maximized, new MonitoredMetric(monitor, "auto", 0).Maximize);
    }

    [Fact]
    public void Early_stopping_on_val_auc_keeps_the_highest_and_refuses_unknown_or_uncompiled_metrics()
    {
        var model = new Xor221(seed: 1);
        var stopper = new EarlyStopping("val_auc", patience: 1);
        stopper.OnTrainBegin(model);
        float[] aucs = [0.7f, 0.8f, 0.75f, 0.79f];
        for (int epoch = 0; epoch < aucs.Length && !model.StopTraining; epoch++)
        {
            stopper.OnEpochEnd(model, new EpochLogs(epoch, 0f, null, TimeSpan.Zero) { Metrics = new Dictionary<string, float> { ["val_auc"] = aucs[epoch] } });
        }

        Assert.True(model.StopTraining);
        Assert.Throws<ArgumentException>(() => new EarlyStopping("val_auroc"));

        model.StopTraining = false;
        var uncompiled = new EarlyStopping("val_auc");
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(Diagonal(32, 1), epochs: 1, verbose: 0, validationSplit: 0.25, callbacks: [uncompiled]));
        Assert.Contains("compile the metric", error.Message);
    }

    [Fact]
    public void Metrics_allocate_nothing_per_batch_after_warm_up()
    {
        var set = new MetricSet(Info<Mlp>(), [Metric.TopKAccuracy(3)]);
        var binary = new MetricSet(Info<SigmoidBce>(), [Metric.Precision, Metric.Recall, Metric.Auc, Metric.MeanAbsoluteError, Metric.MeanSquaredError]);
        var outputs = new float[320];
        var labels = new float[32];
        var targets = new float[64];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = (i * 37 % 101) / 101f;
        }

        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 10;
        }

        void Step()
        {
            set.Add(outputs, labels, 32);
            _ = set.Running();
            binary.Add(outputs.AsSpan(0, 64), targets, 32);
            _ = binary.Running();
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step));
    }
}
