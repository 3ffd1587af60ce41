using System;
using NetGen.Optimizers;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>Clone copies a model without sharing anything; PredictClass is Keras's argmax of predict.</summary>
public class CloneAndClassTests
{
    private static readonly float[,] X = { { 1, -20, 300 }, { 3, 10, 100 }, { 2, 40, 200 }, { 6, 10, 0 } };
    private static readonly float[] Y = [1, 2, 3, 4];

    [Fact]
    public void A_clone_has_the_same_class_weights_and_statistics_and_shares_no_buffer()
    {
        var model = new NormalizedRegressor(seed: 1);
        model.Adapt(X);
        model.Fit(X, Y, epochs: 3, batchSize: 2, verbose: 0);
        float[] original = model.Parameters.ToArray();

        NormalizedRegressor copy = model.Clone();
        Assert.NotSame(model, copy);
        Assert.Equal(original, copy.Parameters.ToArray());
        Assert.Equal(model.NormalizationMean.ToArray(), copy.NormalizationMean.ToArray());
        Assert.Equal(model.Predict(X), copy.Predict(X));
        Assert.NotSame(model.Optimizer, copy.Optimizer);

        copy.Compile(new Sgd(0.5f));
        copy.Fit(X, Y, epochs: 5, batchSize: 2, verbose: 0);
        copy.NormalizationMean.Fill(42);
        Assert.Equal(original, model.Parameters.ToArray());
        Assert.NotEqual(original, copy.Parameters.ToArray());
    }

    [Fact]
    public void A_clone_trains_as_the_original_would_from_the_same_point()
    {
        var model = new Mlp(seed: 3);
        var x = new float[16, Mlp.InputSize];
        var labels = new int[16];
        for (int r = 0; r < 16; r++)
        {
            labels[r] = r % 10;
            x[r, r * 7 % Mlp.InputSize] = 1;
        }

        model.Fit(x, labels, epochs: 1, batchSize: 4, verbose: 0);
        Mlp copy = model.Clone(); // fresh Adam in both from here, so both trains start alike
        model.Compile(new Adam());
        model.Fit(x, labels, epochs: 2, batchSize: 4, verbose: 0);
        copy.Fit(x, labels, epochs: 2, batchSize: 4, verbose: 0);
        Assert.Equal(model.Parameters.ToArray(), copy.Parameters.ToArray());
    }

    [Fact]
    public void PredictClass_is_the_argmax_of_a_softmax_and_the_half_threshold_of_a_single_sigmoid()
    {
        var classifier = new SparseClassifier(seed: 5);
        var rows = new float[20, SparseClassifier.InputSize];
        for (int r = 0; r < 20; r++)
        {
            for (int c = 0; c < SparseClassifier.InputSize; c++)
            {
                rows[r, c] = MathF.Sin((r * 13) + (c * 5)) * 4;
            }
        }

        float[,] probabilities = classifier.Predict(rows);
        int[] classes = classifier.PredictClasses(rows);
        var seen = new bool[3];
        for (int r = 0; r < 20; r++)
        {
            float[] row = [probabilities[r, 0], probabilities[r, 1], probabilities[r, 2]];
            Assert.Equal(Array.IndexOf(row, MathF.Max(row[0], MathF.Max(row[1], row[2]))), classes[r]);
            Assert.Equal(classes[r], classifier.PredictClass(Row(rows, r)));
            seen[classes[r]] = true;
        }

        Assert.True(Array.FindAll(seen, s => s).Length >= 2, "the rows should not all fall in one class");
        Assert.Equal(classes, classifier.PredictClasses(NetGen.Data.Dataset.From(rows, new int[20])));
        Assert.Empty(classifier.PredictClasses(new float[0, SparseClassifier.InputSize]));

        var xor = new Xor221(seed: 2);
        float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        xor.HiddenKernel.Fill(3);
        xor.OutputKernel.Fill(2);
        xor.OutputBias.Fill(-2.5f); // (0, 0) → 2 − 2.5 < 0: class 0; the others above 0: class 1
        float[,] p = xor.Predict(x);
        int[] predicted = xor.PredictClasses(x);
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(p[r, 0] > 0.5f ? 1 : 0, predicted[r]);
        }

        Assert.Contains(0, predicted);
        Assert.Contains(1, predicted);
    }

    [Fact]
    public void PredictClass_refuses_regressors_and_multi_label_outputs()
    {
        var regression = Assert.Throws<InvalidOperationException>(() => new Regressor(seed: 1).PredictClass(new float[3]));
        Assert.Contains("regression loss", regression.Message, StringComparison.Ordinal);
        var multiLabel = Assert.Throws<InvalidOperationException>(() => new SigmoidBce(seed: 1).PredictClasses(new float[1, 3]));
        Assert.Contains("2 independent sigmoid outputs", multiLabel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictClass_of_one_sample_allocates_nothing_after_warm_up()
    {
        var model = new Mlp(seed: 1);
        var x = new float[Mlp.InputSize];
        int sink = 0;
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => sink += model.PredictClass(x)));
        Assert.InRange(sink, 0, int.MaxValue);
    }

    private static float[] Row(float[,] rows, int r)
    {
        var row = new float[rows.GetLength(1)];
        for (int c = 0; c < row.Length; c++)
        {
            row[c] = rows[r, c];
        }

        return row;
    }
}

/// <summary>A model with a constructor of its own (chained to the generated one, as NG0018 asks).</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(2, Activation.ReLU)]
[Dense(1)]
public partial class TaggedRegressor
{
    public TaggedRegressor(string tag)
        : this(seed: 1) => Tag = tag;

    public string Tag { get; } = "";
}

/// <summary>Found in review: Clone built the copy through the generated constructor, so the user's never ran.</summary>
public class CloneWithUserConstructorTests
{
    [Fact]
    public void Clone_refuses_a_model_whose_own_constructor_it_would_skip_and_says_what_to_do()
    {
        var model = new TaggedRegressor("hello");
        var e = Assert.Throws<NotSupportedException>(() => model.Clone());
        Assert.Contains("TaggedRegressor declares constructors of its own", e.Message, StringComparison.Ordinal);
        Assert.Contains("Parameters.CopyTo", e.Message, StringComparison.Ordinal);
    }
}
