using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.IO;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

/// <summary>
/// Checkpoints and <c>initialEpoch</c>: a run stopped after 5 epochs and resumed in a new model instance ends bit for bit
/// where an uninterrupted 10-epoch run ends, with shuffling and dropout on; bad checkpoints change nothing.
/// </summary>
public sealed class ResumeTrainingTests
{
    private static Dataset Data(int samples = 61)
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, samples * 4).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        float[] y = Enumerable.Range(0, samples).Select(i => (float)(((x[i * 4] > 0 ? 1 : 0) + (x[(i * 4) + 1] > 0.5f ? 1 : 0)) % 3)).ToArray();
        return new Dataset(x, 4, y, 1);
    }

    public static TheoryData<string> Optimizers => new() { "adam", "adamw-clipnorm", "sgd-nesterov-decay", "rmsprop-centered-momentum", "adagrad-clipvalue" };

    private static Optimizer Create(string name) => name switch
    {
        "adam" => new Adam(0.01f),
        "adamw-clipnorm" => new AdamW(0.01f, clipNorm: 0.5f),
        "sgd-nesterov-decay" => new Sgd(0.05f, 0.9f, nesterov: true, weightDecay: 0.01f),
        "rmsprop-centered-momentum" => new RmsProp(0.005f, momentum: 0.5f, centered: true, globalClipNorm: 1f),
        "adagrad-clipvalue" => new Adagrad(0.1f, clipValue: 0.2f),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static History Fit(Network model, int epochs, int initialEpoch = 0) =>
        model.Fit(Data(), epochs: epochs, batchSize: 8, seed: 7, verbose: 0, validationSplit: 0.2, initialEpoch: initialEpoch,
            callbacks: [new LearningRateScheduler(new StepDecay(0.01f, 0.5f, every: 3))]);

    [Fact]
    public void A_seeded_model_resumed_without_Fit_seeds_draws_the_same_seeds_for_its_later_Fits()
    {
        // Found in review: the checkpoint kept the run's shuffles but not the model's stream of Fit seeds, so the Fit
        // after a resumed one drew another seed than the uninterrupted model's.
        History Unseeded(Network model, int epochs, int initialEpoch = 0) =>
            model.Fit(Data(), epochs: epochs, batchSize: 8, verbose: 0, initialEpoch: initialEpoch);

        var straight = new DropoutClassifier(seed: 5);
        Unseeded(straight, 2);
        Unseeded(straight, 4, initialEpoch: 2);
        Unseeded(straight, 2);

        using var directory = new TempDirectory();
        string path = directory.File("ckpt.safetensors");
        var first = new DropoutClassifier(seed: 5);
        Unseeded(first, 2);
        first.SaveCheckpoint(path);

        var resumed = new DropoutClassifier(seed: 5);
        Assert.Equal(2, resumed.LoadCheckpoint(path));
        Unseeded(resumed, 4, initialEpoch: 2);
        Unseeded(resumed, 2);

        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Five_epochs_saved_loaded_into_a_new_instance_and_five_more_equal_ten_bit_for_bit(string optimizer)
    {
        var straight = new DropoutClassifier(seed: 11);
        straight.Compile(Create(optimizer));
        History all = Fit(straight, 10);

        using var directory = new TempDirectory();
        string path = directory.File("ckpt.safetensors");
        var first = new DropoutClassifier(seed: 11);
        first.Compile(Create(optimizer));
        Fit(first, 5);
        first.SaveCheckpoint(path);

        var resumed = new DropoutClassifier(seed: 99); // other initial weights: all of them come from the file
        resumed.Compile(Create(optimizer));
        Assert.Equal(5, resumed.LoadCheckpoint(path));
        Assert.Equal(first.Optimizer.Iterations, resumed.Optimizer.Iterations);
        History rest = Fit(resumed, 10, initialEpoch: 5);

        Assert.Equal([5, 6, 7, 8, 9], rest.Epochs.Select(e => e.Epoch));
        Assert.Equal(all.Loss.Skip(5), rest.Loss);
        Assert.Equal(all.ValidationLoss.Skip(5), rest.ValidationLoss);
        Assert.Equal(all.Epochs.Skip(5).Select(e => e.LearningRate), rest.Epochs.Select(e => e.LearningRate));
        Assert.True(straight.Parameters.SequenceEqual(resumed.Parameters), "the resumed run ends with other weights");
        Assert.Equal(straight.Optimizer.Iterations, resumed.Optimizer.Iterations);
    }

    [Fact]
    public void A_ModelCheckpoint_with_the_optimizer_writes_the_epoch_to_resume_from()
    {
        var straight = new DropoutClassifier(seed: 3);
        Fit(straight, 6);

        using var directory = new TempDirectory();
        var first = new DropoutClassifier(seed: 3);
        first.Fit(Data(), epochs: 6, batchSize: 8, seed: 7, verbose: 0, validationSplit: 0.2,
            callbacks: [new LearningRateScheduler(new StepDecay(0.01f, 0.5f, every: 3)), new ModelCheckpoint(directory.File("e{epoch}.safetensors"), includeOptimizer: true)]);

        var resumed = new DropoutClassifier(seed: 4);
        Assert.Equal(2, resumed.LoadCheckpoint(directory.File("e2.safetensors"))); // written after the 2nd epoch
        Fit(resumed, 6, initialEpoch: 2);
        Assert.True(straight.Parameters.SequenceEqual(resumed.Parameters));
    }

    [Fact]
    public void The_same_instance_continues_with_initialEpoch_and_without_it_starts_a_new_run()
    {
        var straight = new DropoutClassifier(seed: 1);
        Fit(straight, 10);

        var continued = new DropoutClassifier(seed: 1);
        Fit(continued, 4);
        Fit(continued, 10, initialEpoch: 4);
        Assert.True(straight.Parameters.SequenceEqual(continued.Parameters));

        // Without initialEpoch the second Fit reshuffles from its seed, as before: not the same run.
        var restarted = new DropoutClassifier(seed: 1);
        Fit(restarted, 4);
        Fit(restarted, 6);
        Assert.False(straight.Parameters.SequenceEqual(restarted.Parameters));
    }

    [Fact]
    public void Without_the_saved_dropout_state_the_resumed_run_would_differ()
    {
        // The check above is not vacuous: resuming with only the weights and the optimizer (a new run at epoch 5) differs.
        var straight = new DropoutClassifier(seed: 11);
        Fit(straight, 10);
        using var directory = new TempDirectory();
        string path = directory.File("ckpt.safetensors");
        var first = new DropoutClassifier(seed: 11);
        Fit(first, 5);
        first.SaveCheckpoint(path);
        var other = new DropoutClassifier(seed: 11);
        other.LoadCheckpoint(path);
        Fit(other, 10, initialEpoch: 4); // a new run: the checkpoint is at epoch 5
        Assert.False(straight.Parameters.SequenceEqual(other.Parameters));
    }

    [Fact]
    public void The_checkpoint_names_the_optimizer_tensors_and_says_what_they_are()
    {
        using var directory = new TempDirectory();
        string path = directory.File("ckpt.safetensors");
        var model = new DropoutClassifier(seed: 2);
        model.Compile(new Adam(0.01f));
        Fit(model, 3);
        model.SaveCheckpoint(path, new System.Collections.Generic.Dictionary<string, string> { ["note"] = "mine" });

        var metadata = NetworkWeights.ReadWeightsMetadata(path);
        Assert.Equal("Adam", metadata["optimizer"]);
        Assert.Equal("momentum,velocity", metadata["optimizer.slots"]);
        Assert.Equal(model.Optimizer.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["optimizer.iterations"]);
        Assert.Equal("3", metadata["epoch"]);
        Assert.Equal("7", metadata["training.seed"]);
        Assert.Equal("mine", metadata["note"]);

        byte[] bytes = File.ReadAllBytes(path);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)));
        string[] names = header.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToArray();
        Assert.Contains("optimizer.momentum.dense.kernel", names);
        Assert.Contains("optimizer.velocity.dense_1.bias", names);
        Assert.Equal(4 + 8, names.Length);
        Assert.Equal([4, 16], header.RootElement.GetProperty("optimizer.velocity.dense.kernel").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Throws<ArgumentException>(() => model.SaveCheckpoint(path, new System.Collections.Generic.Dictionary<string, string> { ["epoch"] = "1" }));

        // The plain weights loader refuses the optimizer tensors it does not expect, naming them.
        var e = Assert.Throws<InvalidDataException>(() => new DropoutClassifier().LoadWeights(path));
        Assert.Contains("optimizer.momentum.dense.kernel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_into_another_optimizer_type_another_slot_set_or_another_model_changes_nothing()
    {
        using var directory = new TempDirectory();
        string path = directory.File("ckpt.safetensors");
        var source = new DropoutClassifier(seed: 2);
        source.Compile(new Sgd(0.05f, momentum: 0.9f));
        Fit(source, 2);
        source.SaveCheckpoint(path);

        AssertUnchanged(new DropoutClassifier(seed: 5), new Adam(), "holds the state of a Sgd optimizer, but DropoutClassifier is compiled with a Adam");
        AssertUnchanged(new DropoutClassifier(seed: 5), new Sgd(0.05f), "keeps the slots [momentum], but DropoutClassifier's keeps []");
        AssertUnchanged(new Mlp(seed: 5), new Sgd(0.05f, momentum: 0.9f), "dense.kernel");

        string weights = directory.File("weights.safetensors");
        source.SaveWeights(weights);
        var target = new DropoutClassifier(seed: 5);
        var e = Assert.Throws<InvalidDataException>(() => target.LoadCheckpoint(weights));
        Assert.Contains("without optimizer state", e.Message, StringComparison.Ordinal);

        void AssertUnchanged(Network model, Optimizer optimizer, string expected)
        {
            model.Compile(optimizer);
            model.Fit(new Dataset(new float[model.Info.InputSize * 2], model.Info.InputSize, [0f, 1f], 1), epochs: 1, seed: 1, verbose: 0);
            float[] parameters = model.Parameters.ToArray();
            long iterations = optimizer.Iterations;
            float[][] slots = optimizer.StateSlots.Select(s => s.ToArray()).ToArray();
            var error = Assert.Throws<InvalidDataException>(() => model.LoadCheckpoint(path));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.Contains("unchanged", error.Message, StringComparison.Ordinal);
            Assert.True(parameters.AsSpan().SequenceEqual(model.Parameters));
            Assert.Equal(iterations, optimizer.Iterations);
            Assert.Equal(slots, optimizer.StateSlots);
        }
    }

    [Fact]
    public void InitialEpoch_is_checked_and_a_resumed_run_needs_the_same_data_and_seed()
    {
        var model = new DropoutClassifier(seed: 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Data(), epochs: 5, initialEpoch: 5, verbose: 0));
        Assert.Equal("initialEpoch", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Data(), epochs: 5, initialEpoch: -1, verbose: 0));

        Fit(model, 3);
        var data = Assert.Throws<ArgumentException>(() => model.Fit(Data(40), epochs: 5, initialEpoch: 3, seed: 7, verbose: 0));
        Assert.Contains("same training data", data.Message, StringComparison.Ordinal);
        var seed = Assert.Throws<ArgumentException>(() => model.Fit(Data(), epochs: 5, initialEpoch: 3, seed: 8, verbose: 0, validationSplit: 0.2));
        Assert.Contains("Pass seed: 7", seed.Message, StringComparison.Ordinal);
    }
}
