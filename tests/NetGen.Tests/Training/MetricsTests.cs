using System;
using NetGen.Training;

namespace NetGen.Tests.Training;

/// <summary>Accuracy as Keras picks it from the loss: binary per output unit, categorical argmax, sparse argmax vs label.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void Binary_accuracy_thresholds_every_output_unit_at_0_5()
    {
        // 2 samples × 3 units. 0.5 itself is not above the threshold, so it predicts 0 (Keras: y_pred > 0.5).
        float[] outputs = [0.9f, 0.2f, 0.5f, 0.51f, 0.49f, 0.7f];
        float[] targets = [1f, 0f, 1f, 1f, 1f, 0f];
        Assert.Equal((3, 6), Metrics.Accuracy(Loss.BinaryCrossEntropy, outputs, targets, 2));
    }

    [Fact]
    public void Categorical_accuracy_compares_argmaxes_per_sample()
    {
        float[] outputs = [0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f, 0.2f, 0.3f, 0.5f];
        float[] targets = [0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 1f];
        Assert.Equal((2, 3), Metrics.Accuracy(Loss.CategoricalCrossEntropy, outputs, targets, 3));
    }

    [Fact]
    public void Categorical_accuracy_works_on_logits_and_takes_the_first_of_tied_maxima()
    {
        // Argmax does not care whether the outputs are probabilities or logits; ties go to the lowest index (like NumPy).
        float[] outputs = [-3f, 10f, 10f, 4f, -1f, 4f];
        float[] targets = [0f, 1f, 0f, 1f, 0f, 0f];
        Assert.Equal((2, 2), Metrics.Accuracy(Loss.CategoricalCrossEntropy, outputs, targets, 2));
    }

    [Fact]
    public void Sparse_accuracy_compares_the_argmax_with_the_label()
    {
        float[] outputs = [0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f, 0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f];
        float[] labels = [1f, 2f, 2f, 0f];
        Assert.Equal((3, 4), Metrics.Accuracy(Loss.SparseCategoricalCrossEntropy, outputs, labels, 4));
    }

    [Theory]
    [InlineData(Loss.MeanSquaredError, false)]
    [InlineData(Loss.MeanAbsoluteError, false)]
    [InlineData(Loss.BinaryCrossEntropy, true)]
    [InlineData(Loss.CategoricalCrossEntropy, true)]
    [InlineData(Loss.SparseCategoricalCrossEntropy, true)]
    public void Only_classification_losses_have_accuracy(Loss loss, bool expected)
    {
        Assert.Equal(expected, Metrics.HasAccuracy(loss));
        if (!expected)
        {
            Assert.Equal((0, 0), Metrics.Accuracy(loss, [1f, 2f], [1f, 2f], 1));
        }
    }

    [Fact]
    public void Bad_shapes_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.Accuracy(Loss.BinaryCrossEntropy, [1f], [1f], 0));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Loss.BinaryCrossEntropy, [1f, 0f], [1f], 1));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Loss.CategoricalCrossEntropy, [1f, 0f, 0f], [1f, 0f, 0f], 2));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Loss.SparseCategoricalCrossEntropy, [1f, 0f, 0f, 1f], [1f], 2));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Loss.SparseCategoricalCrossEntropy, [], [], 1));
    }
}
