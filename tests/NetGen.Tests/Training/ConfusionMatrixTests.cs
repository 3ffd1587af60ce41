using System;
using System.Linq;
using NetGen.Data;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Training;

/// <summary>Softmax over the inputs themselves once the kernel is the identity: the prediction is the argmax of the input.</summary>
[Sequential(inputShape: [3], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(3, Activation.Softmax)]
public partial class ArgmaxOfInput;

/// <summary><see cref="ArgmaxOfInput"/> with one-hot targets.</summary>
[Sequential(inputShape: [3], Loss = Loss.CategoricalCrossEntropy)]
[Dense(3, Activation.Softmax)]
public partial class ArgmaxOfInputOneHot;

/// <summary>sigmoid(x) with weight 1 and bias 0: predicts 1 exactly when x &gt; 0.</summary>
[Sequential(inputShape: [1], Loss = Loss.BinaryCrossEntropy)]
[Dense(1, Activation.Sigmoid)]
public partial class SignOfInput;

/// <summary>Counts of true against predicted classes, checked by hand on tiny models whose predictions are obvious.</summary>
public sealed class ConfusionMatrixTests
{
    // Nine samples scored so that the argmax is the predicted class; labels chosen to fill every kind of cell.
    private static readonly float[] Scores =
    [
        5, 0, 0, // true 0, predicted 0
        5, 0, 0, // true 0, predicted 0
        0, 5, 0, // true 0, predicted 1
        0, 5, 0, // true 0, predicted 1
        0, 5, 0, // true 1, predicted 1
        0, 0, 5, // true 1, predicted 2
        0, 0, 5, // true 2, predicted 2
        0, 0, 5, // true 2, predicted 2
        5, 0, 0, // true 2, predicted 0
    ];

    private static readonly float[] Labels = [0, 0, 0, 0, 1, 1, 2, 2, 2];

    // counts[true, predicted]
    private static readonly long[,] Expected = { { 2, 2, 0 }, { 0, 1, 1 }, { 1, 0, 2 } };

    [Fact]
    public void Sparse_labels_are_counted_as_true_rows_and_predicted_columns()
    {
        var model = Identity(new ArgmaxOfInput());
        ConfusionMatrix m = ConfusionMatrix.Compute(model, new Dataset(Scores, 3, Labels, 1));
        Assert.Equal(3, m.ClassCount);
        Assert.Equal(9, m.Total);
        Assert.Equal(Expected, m.ToArray());
        Assert.Equal(2, m[0, 1]); // true 0 predicted as 1, twice
        Assert.Equal(0, m[1, 0]);
        Assert.Equal(5.0 / 9, m.Accuracy, 12);

        // Precision: column-wise; recall: row-wise.
        Assert.Equal(2.0 / 3, m.Precision(0), 12);
        Assert.Equal(1.0 / 3, m.Precision(1), 12);
        Assert.Equal(2.0 / 3, m.Precision(2), 12);
        Assert.Equal(2.0 / 4, m.Recall(0), 12);
        Assert.Equal(1.0 / 2, m.Recall(1), 12);
        Assert.Equal(2.0 / 3, m.Recall(2), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Precision(3));
    }

    [Fact]
    public void One_hot_targets_give_the_same_counts()
    {
        var model = Identity(new ArgmaxOfInputOneHot());
        float[] oneHot = Labels.SelectMany(l => Enumerable.Range(0, 3).Select(c => c == (int)l ? 1f : 0f)).ToArray();
        Assert.Equal(Expected, ConfusionMatrix.Compute(model, new Dataset(Scores, 3, oneHot, 3)).ToArray());
    }

    [Fact]
    public void A_single_sigmoid_output_is_split_at_0_5_into_two_classes()
    {
        var model = new SignOfInput();
        model.Parameters[0] = 1f; // weight
        model.Parameters[1] = 0f; // bias
        // sigmoid(0) = 0.5 is not above the threshold, so x = 0 predicts 0, as Keras's binary accuracy does.
        float[] x = [2, -1, 3, -2, 0.5f, 0];
        float[] y = [1, 1, 0, 0, 1, 1];
        ConfusionMatrix m = ConfusionMatrix.Compute(model, new Dataset(x, 1, y, 1));
        Assert.Equal(new long[,] { { 1, 1 }, { 2, 2 } }, m.ToArray());
    }

    [Fact]
    public void The_table_is_aligned_with_rows_for_true_classes()
    {
        var m = new ConfusionMatrix(Expected);
        string[] expected =
        [
            @"true \ predicted       0       1       2  recall",
            @"0                      2       2       0  0.5000",
            @"1                      0       1       1  0.5000",
            @"2                      1       0       2  0.6667",
            @"precision         0.6667  0.3333  0.6667",
            @"accuracy 0.5556 over 9 samples",
        ];
        Assert.Equal(expected, Lines(m.ToString()));

        string[] named = Lines(m.Format(["cat", "dog", "hamster"]));
        Assert.Equal(@"true \ predicted     cat     dog  hamster  recall", named[0]);
        Assert.Equal(@"hamster                1       0        2  0.6667", named[3]);
        Assert.Equal(@"precision         0.6667  0.3333   0.6667", named[4]);
    }

    [Fact]
    public void Undefined_ratios_print_as_n_a_and_wide_counts_widen_their_column()
    {
        // Class 1 is never predicted (no precision) and never occurs (no recall).
        var m = new ConfusionMatrix(new long[,] { { 1234567, 0 }, { 0, 0 } });
        Assert.True(double.IsNaN(m.Precision(1)));
        Assert.True(double.IsNaN(m.Recall(1)));
        string[] lines = Lines(m.ToString());
        Assert.Equal(@"true \ predicted        0       1  recall", lines[0]);
        Assert.Equal(@"0                 1234567       0  1.0000", lines[1]);
        Assert.Equal(@"1                       0       0     n/a", lines[2]);
        Assert.Equal(@"precision          1.0000     n/a", lines[3]);
    }

    [Fact]
    public void Counts_match_the_accuracy_Evaluate_reports_across_many_batches()
    {
        // More samples than one prediction chunk, with dropout in the model: inference mode must be deterministic.
        var model = new Mlp(seed: 3);
        var rng = new Random(1);
        int n = 2500;
        var x = Enumerable.Range(0, n * 784).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (float)rng.Next(10)).ToArray();
        var data = new Dataset(x, 784, y, 1);
        ConfusionMatrix m = ConfusionMatrix.Compute(model, data);
        Assert.Equal(n, m.Total);
        Assert.Equal((double)model.Evaluate(data).Accuracy!, m.Accuracy, 5);
        Assert.Equal(m.ToArray(), ConfusionMatrix.Compute(model, data).ToArray());
        for (int c = 0; c < 10; c++)
        {
            long row = Enumerable.Range(0, 10).Sum(p => m[c, p]);
            Assert.Equal(y.Count(l => l == c), row);
        }
    }

    [Fact]
    public void Regression_and_multi_label_models_are_rejected_with_the_reason()
    {
        var regression = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(new Regressor(), new Dataset(new float[3], 3, new float[2], 2)));
        Assert.Contains("Regressor is trained with MeanSquaredError, a regression loss", regression.Message, StringComparison.Ordinal);

        var multiLabel = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(new SigmoidBce(), new Dataset(new float[3], 3, new float[2], 2)));
        Assert.Contains("multi-label", multiLabel.Message, StringComparison.Ordinal);

        var shape = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(new ArgmaxOfInput(), new Dataset(new float[4], 4, [0f], 1)));
        Assert.Contains("expects 3 features", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_counts_and_class_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new long[2, 3]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new long[,] { { 1, -1 }, { 0, 0 } }));
        var error = Assert.Throws<ArgumentException>(() => new ConfusionMatrix(Expected).Format(["a", "b"]));
        Assert.Contains("Expected 3 class names", error.Message, StringComparison.Ordinal);
    }

    private static T Identity<T>(T model)
        where T : Network
    {
        model.Parameters.Clear();
        for (int i = 0; i < 3; i++)
        {
            model.Parameters[(i * 3) + i] = 1f; // kernel [inputs, units] = I; bias 0
        }

        return model;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
