using System;
using System.Collections.Generic;
using System.IO;
using NetGen.Data;
using NetGen.Training;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>validationSplit keeps Keras's last-samples rule, and warns when its two parts do not hold the same classes.</summary>
public class SplitClassesTests
{
    [Fact]
    public void A_split_of_class_sorted_data_warns_in_History_the_callbacks_and_the_progress_output_naming_the_classes()
    {
        Dataset sorted = Sorted(30, classes: 3); // 10 of class 0, then 10 of 1, then 10 of 2
        var writer = new StringWriter();
        var seen = new List<string>();
        var model = new OneHotClassifier(seed: 1);
        History history = model.Fit(sorted.ToOneHot(3), epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.2,
            callbacks: [new ProgressLogger(2, writer), new WarningRecorder(seen)]);

        string expected =
            "validationSplit 0.2 holds out the last 6 of 30 samples, before shuffling (as Keras does), and the two parts do not hold the same classes: " +
            "classes 0, 1 are in training but not in validation. If the data is sorted by class, shuffle it first (data.Shuffle(seed)), or split it with " +
            "data.Split(fraction, seed, stratify: true) and pass the second part as validationData.";
        Assert.Equal([expected], history.Warnings);
        Assert.Equal([expected], seen);
        Assert.StartsWith("Warning: " + expected + Environment.NewLine + "Epoch 1" + Environment.NewLine, writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Classes_missing_on_either_side_are_named_for_every_classification_loss()
    {
        var sparse = new SparseClassifier(seed: 1).Fit(Sorted(30, classes: 3, features: 6), epochs: 1, verbose: 0, validationSplit: 0.3333);
        Assert.Contains("classes 0, 1 are in training but not in validation; class 2 is in validation but not in training.", Assert.Single(sparse.Warnings), StringComparison.Ordinal);

        var binary = new Xor221(seed: 1).Fit(Sorted(20, classes: 2, features: 2), epochs: 1, verbose: 0, validationSplit: 0.25);
        Assert.Contains("class 0 is in training but not in validation.", Assert.Single(binary.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_data_regression_and_explicit_validation_data_give_no_warning()
    {
        Dataset sorted = Sorted(30, classes: 3, features: 6);
        Assert.Empty(new SparseClassifier(seed: 1).Fit(sorted.Shuffle(4), epochs: 1, verbose: 0, validationSplit: 0.2).Warnings);
        Assert.Empty(new SparseClassifier(seed: 1).Fit(sorted, epochs: 1, verbose: 0, validationData: sorted.Slice(0, 5)).Warnings);
        Assert.Empty(new SparseClassifier(seed: 1).Fit(sorted, epochs: 1, verbose: 0).Warnings);

        var x = new float[10, 3];
        var y = new float[10, 2];
        for (int i = 0; i < 10; i++)
        {
            x[i, 0] = i;
            y[i, 0] = i; // sorted targets, but regression has no classes
        }

        Assert.Empty(new Regressor(seed: 1).Fit(x, y, epochs: 1, verbose: 0, validationSplit: 0.3).Warnings);
    }

    private static Dataset Sorted(int count, int classes, int features = 4)
    {
        var x = new float[count * features];
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i * classes / count;
            for (int f = 0; f < features; f++)
            {
                x[(i * features) + f] = labels[i] + (0.1f * f);
            }
        }

        return new Dataset(x, features, labels, 1);
    }

    private sealed class WarningRecorder(List<string> seen) : Callback
    {
        public override void OnWarning(Network model, string message) => seen.Add(message);
    }
}
