using System;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

public class TrainerTests
{
    private static readonly float[,] XorX = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly float[] XorY = [0, 1, 1, 0];

    // Lengths known only at run time: the NG03xx analyzer rejects wrong constant lengths at build time, and these
    // tests cover the run-time checks behind it.
    private static float[] Vector(int length) => new float[length];

    private static float[,] Matrix(int rows, int columns) => new float[rows, columns];

    [Fact]
    public void Fit_returns_one_history_entry_per_epoch_and_loss_decreases()
    {
        var model = new Xor241Tanh(seed: 1);
        model.Compile(new Adam(0.05f));
        History history = model.Fit(XorX, XorY, epochs: 200, batchSize: 4, seed: 1, verbose: 0);
        Assert.Equal(200, history.Epochs.Count);
        Assert.Equal(200, history.Accuracy.Count);
        Assert.True(history.Loss[^1] < history.Loss[0] / 4, $"loss went from {history.Loss[0]} to {history.Loss[^1]}");
        Assert.Equal(1f, history.Accuracy[^1]);
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_a_different_seed_does_not()
    {
        float[] Train(int seed)
        {
            var model = new SparseClassifier(seed);
            var data = new Dataset(Enumerable.Range(0, 60).Select(i => (float)Math.Cos(i)).ToArray(), 6,
                Enumerable.Range(0, 10).Select(i => (float)(i % 3)).ToArray(), 1);
            model.Fit(data, epochs: 3, batchSize: 4, seed: seed, verbose: 0);
            return model.Parameters.ToArray();
        }

        Assert.Equal(Train(4), Train(4));
        Assert.NotEqual(Train(4), Train(5));
    }

    [Fact]
    public void Wrong_feature_count_is_rejected_with_both_sizes_named()
    {
        var model = new Xor221();
        var error = Assert.Throws<ArgumentException>(() => model.Fit(Matrix(4, 3), XorY, verbose: 0));
        Assert.Contains("expects 2 features", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_out_of_range_is_rejected_naming_the_sample()
    {
        var model = new OneHotClassifier();
        var sparse = new SparseClassifier();
        var data = new Dataset(new float[3 * 6], 6, [0, 3, 1], 1);
        var error = Assert.Throws<ArgumentException>(() => sparse.Fit(data, verbose: 0));
        Assert.Contains("sample 1 is 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 3)", error.Message, StringComparison.Ordinal);

        // One-hot targets with the wrong width.
        var wide = Assert.Throws<ArgumentException>(() => model.Fit(new float[2, 4], Matrix(2, 2), verbose: 0));
        Assert.Contains("3 target values per sample", wide.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_input_is_rejected_naming_sample_and_feature()
    {
        var x = (float[,])XorX.Clone();
        x[2, 1] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => new Xor221().Fit(x, XorY, verbose: 0));
        Assert.Contains("Sample 2, feature 1 is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Divergence_stops_training_and_keeps_the_last_finite_parameters()
    {
        var model = new Regressor(seed: 2);
        model.Compile(new Sgd(learningRate: 1e30f));
        var x = new float[8, 3];
        var y = new float[8, 2];
        for (int i = 0; i < 8; i++)
        {
            x[i, 0] = i;
            y[i, 0] = 1000 * i;
        }

        var error = Assert.Throws<TrainingDivergedException>(() => model.Fit(x, y, epochs: 50, batchSize: 8, verbose: 0));
        Assert.False(float.IsFinite(error.Loss));
        Assert.All(model.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
        Assert.Contains("Training diverged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_rejects_wrong_lengths()
    {
        var model = new Xor221();
        Assert.Throws<ArgumentException>(() => model.Predict(Vector(3), new float[1]));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[2], Vector(2)));
        Assert.Throws<ArgumentException>(() => model.PredictBatch(Vector(5), new float[2]));
    }

    [Fact]
    public void Layer_info_carries_each_layers_input_and_output_shape()
    {
        NetworkInfo info = new SparseClassifier(seed: 1).Info;
        Assert.Equal([[2, 3], [6], [5], [4]], info.Layers.Select(l => l.InputShape.ToArray()));
        Assert.Equal([[6], [5], [4], [3]], info.Layers.Select(l => l.OutputShape.ToArray()));
        Assert.Equal([6, 6, 5, 4], info.Layers.Select(l => l.InputSize));

        // A record made by hand, without the shape, reports its input as one dimension.
        Assert.Equal([7], new LayerInfo("x", LayerKind.Dense, 7, [2], Activation.Linear, 0, 0, 0, 16).InputShape);
    }

    [Theory]
    [InlineData(false, 1024, 2600)] // narrow layers: 1 024-row chunks; two full ones and a partial third
    [InlineData(true, 256, 700)]    // a 600-wide layer: 256-row chunks, the fewest there are
    public void Batch_prediction_equals_one_at_a_time_prediction_across_chunks(bool wide, int chunk, int rows)
    {
        Network model = wide ? new WideRegressor(seed: 9) : new OneHotClassifier(seed: 9);
        Assert.Equal(chunk, model.PredictChunk);
        int inSize = model.Info.InputSize, outSize = model.Info.OutputSize;
        float[] x = Enumerable.Range(0, rows * inSize).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        var batch = new float[rows * outSize];
        model.PredictBatch(x, batch);
        var one = new float[outSize];
        for (int r = 0; r < rows; r += 37)
        {
            model.Predict(x.AsSpan(r * inSize, inSize), one);
            Assert.Equal(one, batch.AsSpan(r * outSize, outSize).ToArray());
        }
    }

    [Fact]
    public void Evaluate_reports_loss_and_accuracy_in_inference_mode()
    {
        var model = new Mlp(seed: 1);
        var x = new float[5 * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 17) / 17f;
        }

        var data = new Dataset(x, 784, [0, 1, 2, 3, 4], 1);
        Evaluation first = model.Evaluate(data);
        Evaluation second = model.Evaluate(data);
        Assert.Equal(first, second); // dropout is off: evaluation is deterministic
        Assert.InRange(first.Loss, 1.0f, 5f); // about ln 10 for an untrained 10-class softmax
        Assert.NotNull(first.Accuracy);
    }

    [Fact]
    public void Regression_losses_report_no_accuracy()
    {
        var model = new Regressor();
        History history = model.Fit(new float[4, 3], new float[4, 2], epochs: 2, verbose: 0);
        Assert.Empty(history.Accuracy);
        Assert.Null(model.Evaluate(new float[4, 3], new float[4, 2]).Accuracy);
    }

    [Fact]
    public void Callbacks_see_every_epoch_and_can_stop_training()
    {
        var model = new Xor221();
        int seen = 0;
        var stopAtThree = new LambdaCallback((m, logs) =>
        {
            seen++;
            if (logs.Epoch == 2)
            {
                m.StopTraining = true;
            }
        });
        History history = model.Fit(XorX, XorY, epochs: 10, verbose: 0, callbacks: [stopAtThree]);
        Assert.Equal(3, seen);
        Assert.Equal(3, history.Epochs.Count);
    }

    [Fact]
    public void Summary_is_a_compile_time_constant_with_keras_parameter_counts()
    {
        const string summary = Mlp.Summary; // const: computed by the generator
        Assert.Equal(784 * 100 + 100 + (100 * 10) + 10, Mlp.ParameterCount);
        Assert.Contains("hidden (Dense, relu)", summary, StringComparison.Ordinal);
        Assert.Contains("flatten (Flatten)", summary, StringComparison.Ordinal);
        Assert.Matches(@"flatten \(Flatten\)\s+\(None, 784\)\s+0\n", summary);
        Assert.Matches(@"output \(Dense, softmax\)\s+\(None, 10\)\s+1,010\n", summary);
        Assert.Contains("Total params: 79,510", summary, StringComparison.Ordinal);
        Assert.Equal(784, Mlp.InputSize);
        Assert.Equal(10, Mlp.OutputSize);
        Assert.Equal(Mlp.ParameterCount, new Mlp().Info.ParameterCount);
    }

    [Fact]
    public void Initialization_is_glorot_uniform_with_zero_biases_and_deterministic()
    {
        var a = new Mlp(seed: 3);
        var b = new Mlp(seed: 3);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        float limit = MathF.Sqrt(6f / (784 + 100));
        float[] kernel = a.HiddenKernel.ToArray();
        Assert.All(kernel, w => Assert.InRange(w, -limit, limit));
        Assert.InRange(kernel.Max(), limit * 0.99f, limit);
        Assert.InRange(kernel.Average(), -0.01f, 0.01f);
        Assert.All(a.HiddenBias.ToArray(), v => Assert.Equal(0f, v));
    }
}
