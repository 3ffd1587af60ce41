using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NetGen.Optimizers;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

/// <summary>
/// Mistakes a Keras or PyTorch user makes with the runtime, found by a review: each gets a clear error, or the
/// behaviour Keras has, and loses nothing.
/// </summary>
public sealed class MisuseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netgen-misuse").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A small linear regression problem.</summary>
    private static (float[,] X, float[,] Y) Line()
    {
        var x = new float[16, 3];
        var y = new float[16, 2];
        for (int i = 0; i < 16; i++)
        {
            x[i, 0] = i / 16f;
            x[i, 1] = 1 - (i / 16f);
            y[i, 0] = 3 * i / 16f;
            y[i, 1] = 1;
        }

        return (x, y);
    }

    [Fact]
    public void Divergence_keeps_the_history_runs_the_callbacks_end_and_restores_the_best_weights()
    {
        (float[,] x, float[,] y) = Line();
        var model = new Regressor(seed: 1);
        model.Compile(new Sgd(0.05f));
        var stopper = new EarlyStopping("loss", patience: 10, restoreBestWeights: true);
        float[]? best = null;
        var snapshot = new LambdaCallback((m, logs) =>
        {
            if (logs.Epoch == stopper.BestEpoch)
            {
                best = m.Parameters.ToArray();
            }
        });
        var schedule = new LearningRateScheduler((epoch, rate) => epoch >= 4 ? 1e30f : rate);

        var error = Assert.Throws<TrainingDivergedException>(() =>
            model.Fit(x, y, epochs: 20, batchSize: 4, verbose: 0, seed: 1, callbacks: [schedule, stopper, snapshot]));

        // Epochs 1-4 trained; the 5th's first step blew the weights up, and its second step's loss was not finite.
        Assert.Equal(4, error.History.Epochs.Count);
        Assert.Equal((4, 1), (error.Epoch, error.Step));
        Assert.All(error.History.Epochs, e => Assert.True(float.IsFinite(e.Loss)));
        Assert.Equal(best, model.Parameters.ToArray()); // OnTrainEnd ran: EarlyStopping put the best epoch back
        Assert.True(float.IsFinite(model.Evaluate(x, y).Loss));
    }

    [Fact]
    public void A_checkpoint_of_every_epoch_does_not_need_the_monitored_metric_and_formats_keras_templates()
    {
        (float[,] x, float[,] y) = Line();
        var model = new Regressor(seed: 1);
        string template = Path.Combine(_dir, "new folder", "ckpt-{epoch:02d}-{loss:.3f}.safetensors");
        var checkpoint = new ModelCheckpoint(template); // monitors val_loss by default, which this Fit does not measure
        History history = model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, seed: 1, callbacks: [checkpoint]);

        string[] expected = history.Epochs.Select(e =>
            $"ckpt-{e.Epoch + 1:00}-{e.Loss.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}.safetensors").ToArray();
        Assert.Equal(expected, Directory.GetFiles(Path.Combine(_dir, "new folder")).Select(Path.GetFileName).Order().ToArray());
        Assert.Equal(2, checkpoint.LastSavedEpoch);

        // With saveBestOnly the metric is needed, and its absence is still an error that says what to do.
        var best = new ModelCheckpoint(Path.Combine(_dir, "best.safetensors"), saveBestOnly: true);
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [best]));
        Assert.Contains("validationSplit", error.Message);
    }

    [Theory]
    [InlineData("ckpt-{epoch:2f}.safetensors")]
    [InlineData("ckpt-{val_loss:03d}.safetensors")]
    [InlineData("ckpt-{val_los}.safetensors")]
    [InlineData("ckpt-{loss:>8}.safetensors")]
    public void A_checkpoint_template_it_cannot_fill_is_refused_when_created(string template)
    {
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint(template));
    }

    [Fact]
    public void NaN_is_never_the_best_value_of_a_monitored_metric()
    {
        var model = new Xor221(seed: 1);
        var stopper = new EarlyStopping("val_loss", patience: 2);
        stopper.OnTrainBegin(model);
        float[] losses = [float.NaN, 0.9f, 0.8f, 0.7f];
        for (int epoch = 0; epoch < losses.Length && !model.StopTraining; epoch++)
        {
            stopper.OnEpochEnd(model, new EpochLogs(epoch, 0f, null, TimeSpan.Zero, ValidationLoss: losses[epoch]));
        }

        Assert.False(model.StopTraining);
        Assert.Equal((3, 0.7f), (stopper.BestEpoch, stopper.Best));
    }

    [Fact]
    public void Cross_entropy_targets_outside_0_1_are_refused_naming_the_sample()
    {
        var bce = new SigmoidBce(seed: 1);
        var x = new float[4, 3];
        var y = new float[4, 2];
        y[2, 1] = 255; // labels that were never scaled
        var error = Assert.Throws<ArgumentException>(() => bce.Fit(x, y, epochs: 1, verbose: 0));
        Assert.Contains("Target 1 of sample 2 is 255", error.Message);

        var cce = new OneHotClassifier(seed: 1);
        var oneHot = new float[4, 3];
        oneHot[3, 0] = -1;
        error = Assert.Throws<ArgumentException>(() => cce.Evaluate(new float[4, 4], oneHot));
        Assert.Contains("sample 3", error.Message);
        Assert.Contains("ToOneHot", error.Message);

        y[2, 1] = 0.3f; // soft labels are probabilities, and fine
        bce.Fit(x, y, epochs: 1, verbose: 0);
    }

    [Fact]
    public void Bad_validation_data_is_named_as_such()
    {
        var model = new SparseClassifier(seed: 1);
        var x = new float[6, 6];
        var validation = NetGen.Data.Dataset.From(new float[2, 6], [0, 9]);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(x, new int[6], epochs: 1, verbose: 0, validationData: validation));
        Assert.StartsWith("In validationData: Label of sample 1 is 9", error.Message);
        Assert.Equal("validationData", error.ParamName);
    }

    [Fact]
    public void Adapt_refuses_non_finite_features()
    {
        var model = new NormalizedRegressor(seed: 1);
        var x = new float[5, 3];
        x[4, 1] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => model.Adapt(x));
        Assert.Contains("Sample 4, feature 1 is NaN", error.Message);
        Assert.Equal(0f, model.Tensor("normalization.count")[0]); // nothing was adapted
    }

    [Fact]
    public void One_optimizer_instance_cannot_train_two_models()
    {
        var adam = new Adam(0.01f);
        var first = new Xor221(seed: 1);
        first.Compile(adam);
        var error = Assert.Throws<InvalidOperationException>(() => new Xor221(seed: 2).Compile(adam));
        Assert.Contains("already trains a Xor221", error.Message);

        first.Compile(new Adam()); // the first model lets it go
        new Xor221(seed: 2).Compile(adam);
    }

    [Fact]
    public async Task The_training_side_used_from_a_second_thread_fails_clearly_while_predictions_still_answer()
    {
        // One thread is held inside Fit by a callback that waits; another thread's custom-loop Forward (which shares
        // Fit's training buffers) must refuse, while Predict and Evaluate answer beside it.
        var model = new Xor221(seed: 1);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = new LambdaCallback((m, logs) =>
        {
            inside.Set();
            release.Wait();
        });
        Task training = Task.Run(() => model.Fit(new float[4, 2], new float[4], epochs: 1, verbose: 0, callbacks: [blocker]));
        inside.Wait();
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => model.Forward(new float[2], 1, training: true));
            Assert.Contains("training or changing its weights on another thread", error.Message);
            Assert.Single(model.Predict(new float[2]));
            Assert.True(float.IsFinite(model.Evaluate(new float[4, 2], new float[4]).Loss));
        }
        finally
        {
            release.Set();
        }

        await training;
        model.Forward(new float[2], 1, training: true); // free again afterwards
    }

    [Fact]
    public void Stop_training_set_after_a_batch_ends_the_epoch_there_as_in_keras_3()
    {
        (float[,] x, float[,] y) = Line();
        var model = new Regressor(seed: 1);
        int batches = 0;
        float lastRunningLoss = float.NaN;
        var stopper = new BatchStopper(after: 2, b =>
        {
            batches++;
            lastRunningLoss = b.Loss;
        });
        History history = model.Fit(x, y, epochs: 5, batchSize: 4, verbose: 0, seed: 1, callbacks: [stopper]);

        Assert.Equal(2, batches); // of the 4 batches in the first epoch
        Assert.Single(history.Epochs); // the epoch still ended, with its logs
        Assert.Equal(lastRunningLoss, history.Loss[0]); // the mean over the samples it trained on, not over all 16
    }

    private sealed class BatchStopper(int after, Action<BatchLogs> seen) : Callback
    {
        public override void OnBatchEnd(Network model, in BatchLogs logs)
        {
            seen(logs);
            if (logs.Step == after)
            {
                model.StopTraining = true;
            }
        }
    }

    [Fact]
    public void Checkpoint_templates_print_values_as_python_does_and_take_literal_braces()
    {
        var logs = new EpochLogs(4, 0.0012345679f, null, TimeSpan.Zero, ValidationLoss: float.NaN);
        Assert.Equal("ckpt-05-1.23456796e-03-nan-{epoch}.safetensors",
            new CheckpointPath("ckpt-{epoch:02}-{loss:.8e}-{val_loss:.3f}-{{epoch}}.safetensors").For(logs));
        Assert.Equal("1.234e+00", new CheckpointPath("{loss:.3e}").For(logs with { Loss = 1.2344999f })); // no double rounding
        Assert.Throws<ArgumentException>(() => new CheckpointPath("{loss:3}"));
    }

    [Fact]
    public void Fit_cannot_run_inside_its_own_callback()
    {
        var model = new Xor221(seed: 1);
        InvalidOperationException? nested = null;
        var callback = new LambdaCallback((m, logs) =>
        {
            nested ??= Assert.Throws<InvalidOperationException>(() => m.Fit(new float[4, 2], new float[4], epochs: 1, verbose: 0));
            m.StopTraining = true;
        });
        History history = model.Fit(new float[4, 2], new float[4], epochs: 5, verbose: 0, callbacks: [callback]);
        Assert.Contains("already in Fit", nested!.Message);
        Assert.Single(history.Epochs); // the outer Fit's stop request survived
    }

    [Fact]
    public void A_callback_failing_at_the_end_of_diverged_training_loses_neither_error()
    {
        (float[,] x, float[,] y) = Line();
        var model = new Regressor(seed: 1);
        model.Compile(new Sgd(1e30f));
        var error = Assert.Throws<AggregateException>(() => model.Fit(x, y, epochs: 5, batchSize: 4, verbose: 0, callbacks: [new FailsAtEnd()]));
        Assert.IsType<TrainingDivergedException>(error.InnerExceptions[0]);
        Assert.IsType<IOException>(error.InnerExceptions[1]);
    }

    private sealed class FailsAtEnd : Callback
    {
        public override void OnTrainEnd(Network model, History history) => throw new IOException("disk full");
    }

    [Fact]
    public void The_default_optimizer_belongs_to_its_model_too()
    {
        var first = new Xor221(seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => new Xor221(seed: 2).Compile(first.Optimizer));
        Assert.Contains("already trains a Xor221", error.Message);
    }

    [Fact]
    public async Task Weights_cannot_be_loaded_or_reset_under_a_training_running_on_another_thread()
    {
        var model = new Xor221(seed: 1);
        string path = Path.Combine(_dir, "w.safetensors");
        model.SaveWeights(path);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task training = Task.Run(() => model.Fit(new float[4, 2], new float[4], epochs: 1, verbose: 0, callbacks: [new LambdaCallback((m, l) =>
        {
            inside.Set();
            release.Wait();
        })]));
        inside.Wait();
        try
        {
            Assert.Throws<InvalidOperationException>(() => model.LoadWeights(path));
            Assert.Throws<InvalidOperationException>(() => model.InitializeParameters(3));
            Assert.Throws<InvalidOperationException>(() => model.SaveWeights(path));
        }
        finally
        {
            release.Set();
        }

        await training;
        model.LoadWeights(path);
    }

    [Fact]
    public void A_callback_may_predict_and_evaluate_on_the_model_it_is_training()
    {
        var model = new Xor221(seed: 1);
        float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        float[] y = [0, 1, 1, 0];
        int calls = 0;
        var probe = new LambdaCallback((m, logs) =>
        {
            Assert.Equal(4, m.Predict(x).GetLength(0));
            Assert.True(float.IsFinite(m.Evaluate(x, y).Loss));
            calls++;
        });
        model.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0, callbacks: [probe]);
        Assert.Equal(3, calls);
    }
}
