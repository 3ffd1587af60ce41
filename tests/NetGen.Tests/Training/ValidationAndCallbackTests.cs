using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

public class ValidationAndCallbackTests
{
    private static Dataset Blobs(int count, int seed)
    {
        // Three separable clusters in 6 features (SparseClassifier's [2, 3] input).
        var rng = new Random(seed);
        var x = new float[count * 6];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            y[i] = label;
            for (int f = 0; f < 6; f++)
            {
                x[(i * 6) + f] = (f % 3 == label ? 2f : 0f) + (float)((rng.NextDouble() - 0.5) * 0.5);
            }
        }

        return new Dataset(x, 6, y, 1);
    }

    [Fact]
    public void Validation_split_holds_out_the_last_samples_and_reports_val_metrics()
    {
        Dataset data = Blobs(100, 1);
        var model = new SparseClassifier(seed: 1);
        History history = model.Fit(data, epochs: 3, batchSize: 10, seed: 1, verbose: 0, validationSplit: 0.2);
        Assert.Equal(3, history.ValidationLoss.Count);
        Assert.Equal(3, history.ValidationAccuracy.Count);

        // The reported validation figures are exactly an evaluation of the last 20 samples with the final weights.
        var last20 = new Dataset(data.Features[(80 * 6)..].ToArray(), 6, data.Targets[80..].ToArray(), 1);
        Evaluation evaluation = model.Evaluate(last20);
        Assert.Equal(evaluation.Loss, history.ValidationLoss[^1], 5);
        Assert.Equal(evaluation.Accuracy!.Value, history.ValidationAccuracy[^1], 5);
    }

    [Fact]
    public void Validation_split_trains_on_the_first_samples_only()
    {
        // If held-out samples were trained on, these poisoned labels would be learned.
        Dataset data = Blobs(100, 2);
        float[] targets = data.Targets.ToArray();
        for (int i = 80; i < 100; i++)
        {
            targets[i] = (targets[i] + 1) % 3;
        }

        var poisoned = new Dataset(data.Features.ToArray(), 6, targets, 1);
        var model = new SparseClassifier(seed: 2);
        model.Compile(new Adam(0.05f));
        History history = model.Fit(poisoned, epochs: 30, batchSize: 10, seed: 2, verbose: 0, validationSplit: 0.2);
        Assert.True(history.Accuracy[^1] > 0.9f, $"train accuracy {history.Accuracy[^1]}");
        Assert.True(history.ValidationAccuracy[^1] < 0.2f, $"val accuracy {history.ValidationAccuracy[^1]}");
    }

    [Fact]
    public void Explicit_validation_data_takes_precedence_and_is_checked()
    {
        var model = new SparseClassifier(seed: 3);
        History history = model.Fit(Blobs(60, 3), epochs: 2, verbose: 0, validationData: Blobs(30, 4), validationSplit: 0.5);
        Assert.Equal(2, history.ValidationLoss.Count);
        var wrongWidth = new Dataset(new float[10 * 5], 5, new float[10], 1);
        Assert.Throws<ArgumentException>(() => model.Fit(Blobs(60, 3), verbose: 0, validationData: wrongWidth));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Blobs(60, 3), verbose: 0, validationSplit: 1));
    }

    [Fact]
    public void Early_stopping_waits_patience_epochs_then_stops_and_restores_the_best_weights()
    {
        var model = new Xor221(seed: 1);
        var stopper = new EarlyStopping("val_loss", patience: 2, restoreBestWeights: true);
        stopper.OnTrainBegin(model);
        float[] losses = [1.0f, 0.8f, 0.9f, 0.85f, 0.7f];
        float[]? bestWeights = null;
        for (int epoch = 0; epoch < losses.Length && !model.StopTraining; epoch++)
        {
            model.Parameters.Fill(epoch); // stands for the weights after this epoch
            if (epoch == 1)
            {
                bestWeights = model.Parameters.ToArray();
            }

            stopper.OnEpochEnd(model, new EpochLogs(epoch, 0f, null, TimeSpan.Zero, ValidationLoss: losses[epoch]));
        }

        Assert.True(model.StopTraining);
        Assert.Equal(3, stopper.StoppedEpoch); // epochs 2 and 3 did not improve on 0.8; patience 2 is exhausted at 3
        Assert.Equal(1, stopper.BestEpoch);
        Assert.Equal(0.8f, stopper.Best);
        stopper.OnTrainEnd(model, new History());
        Assert.Equal(bestWeights, model.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_maximizes_accuracy_and_honours_min_delta()
    {
        var model = new Xor221();
        var stopper = new EarlyStopping("val_accuracy", patience: 0, minDelta: 0.01f);
        stopper.OnTrainBegin(model);
        stopper.OnEpochEnd(model, new EpochLogs(0, 0f, null, TimeSpan.Zero, 0f, ValidationAccuracy: 0.80f));
        stopper.OnEpochEnd(model, new EpochLogs(1, 0f, null, TimeSpan.Zero, 0f, ValidationAccuracy: 0.805f)); // within min delta
        Assert.True(model.StopTraining);
        Assert.True(stopper.Maximize);
    }

    [Fact]
    public void Early_stopping_on_a_metric_that_is_not_measured_says_what_to_do()
    {
        var model = new Xor221();
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(new float[4, 2], new float[4], epochs: 2, verbose: 0, callbacks: [new EarlyStopping("val_loss")]));
        Assert.Contains("validationSplit", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new EarlyStopping("val_los"));
    }

    [Fact]
    public void Early_stopping_inside_fit_ends_training_early()
    {
        var model = new SparseClassifier(seed: 5);
        model.Compile(new Adam(0.05f));
        var stopper = new EarlyStopping("loss", patience: 1, minDelta: 10f); // nothing improves by 10: stops after 2 epochs
        History history = model.Fit(Blobs(50, 5), epochs: 50, verbose: 0, callbacks: [stopper]);
        Assert.Equal(2, history.Epochs.Count);
    }

    [Fact]
    public void Step_decay_halves_the_rate_every_n_epochs_and_the_logs_record_it()
    {
        var schedule = new StepDecay(0.1f, factor: 0.5f, every: 2);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f], Enumerable.Range(0, 5).Select(schedule.RateAt));
        var model = new SparseClassifier(seed: 6);
        model.Compile(new Sgd(0.1f));
        History history = model.Fit(Blobs(30, 6), epochs: 5, verbose: 0, callbacks: [new LearningRateScheduler(schedule)]);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f], history.Epochs.Select(e => e.LearningRate));
        Assert.Equal(0.025f, model.Optimizer.LearningRate);
    }

    [Fact]
    public void Exponential_decay_matches_the_formula()
    {
        var smooth = new ExponentialDecay(1f, 0.5f, decayEpochs: 2);
        var stairs = new ExponentialDecay(1f, 0.5f, decayEpochs: 2, staircase: true);
        Assert.Equal(MathF.Pow(0.5f, 1.5f), smooth.RateAt(3), 6);
        Assert.Equal(0.5f, stairs.RateAt(3));
    }

    [Fact]
    public void Verbose_2_writes_one_keras_style_line_per_epoch()
    {
        var writer = new StringWriter();
        var model = new SparseClassifier(seed: 7);
        var logger = new ProgressLogger(verbose: 2, writer, epochs: 2);
        model.Fit(Blobs(40, 7), epochs: 2, batchSize: 10, verbose: 0, validationSplit: 0.25, callbacks: [logger]);
        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Matches(@"^3/3 - \d+(s|ms|us) - \d+(s|ms|us)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$", lines[1]);
        Assert.Equal("Epoch 2/2", lines[2]);
        Assert.DoesNotContain('\r', writer.ToString());
    }

    [Fact]
    public void Verbose_1_redraws_in_place_on_a_terminal_and_writes_plain_lines_otherwise()
    {
        var plain = new StringWriter();
        var model = new SparseClassifier(seed: 8);
        model.Fit(Blobs(40, 8), epochs: 1, batchSize: 10, verbose: 0, callbacks: [new ProgressLogger(1, plain, interactive: false, epochs: 1)]);
        Assert.DoesNotContain('\r', plain.ToString());
        Assert.Matches(@"Epoch 1/1\r?\n4/4 \[={30}\] - \d+(s|ms|us) \d+(s|ms|us)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\r?\n$", plain.ToString());

        // On a terminal the finished line overwrites the bar with a carriage return.
        var terminal = new StringWriter();
        var logger = new ProgressLogger(1, terminal, interactive: true, epochs: 1);
        logger.OnEpochBegin(model, 0);
        logger.OnBatchEnd(model, new BatchLogs(0, 4, 4, 0.5f, 0.75f));
        logger.OnEpochEnd(model, new EpochLogs(0, 0.5f, 0.75f, TimeSpan.FromSeconds(2)));
        Assert.Matches(@"^Epoch 1/1\r?\n\r4/4 \[={30}\] - 2s", terminal.ToString());
    }
}
