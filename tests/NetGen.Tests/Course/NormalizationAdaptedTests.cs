using System;
using NetGen.Data;
using NetGen.Tests.IO;
using NetGen.Tests.Models;

namespace NetGen.Tests.Course;

/// <summary>
/// A Normalization layer that was never adapted is refused, as Keras refuses it: with its identity statistics the model
/// would quietly train and predict on unscaled inputs.
/// </summary>
public sealed class NormalizationAdaptedTests : IDisposable
{
    private static readonly float[,] X = { { 1, -20, 300 }, { 3, 10, 100 }, { 2, 40, 200 }, { 6, 10, 0 } };
    private static readonly float[] Y = [1, 2, 3, 4];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Fit_Evaluate_and_every_Predict_refuse_a_model_that_was_never_adapted_and_say_to_call_Adapt()
    {
        var model = new NormalizedRegressor(seed: 1);
        Assert.False(model.IsAdapted);
        float[] before = model.Parameters.ToArray();
        var errors = new[]
        {
            Assert.Throws<InvalidOperationException>(() => model.Fit(X, Y, epochs: 1, verbose: 0)),
            Assert.Throws<InvalidOperationException>(() => model.Evaluate(X, Y)),
            Assert.Throws<InvalidOperationException>(() => model.Predict(X)),
            Assert.Throws<InvalidOperationException>(() => model.Predict(new float[3])),
            Assert.Throws<InvalidOperationException>(() => model.PredictBatch(new float[6], new float[2])),
            Assert.Throws<InvalidOperationException>(() => model.Forward(new float[3], 1, training: true)),
        };
        foreach (InvalidOperationException error in errors)
        {
            Assert.Equal(
                "NormalizedRegressor's Normalization layer 'normalization' was never adapted, so it would standardize with mean 0 and variance 1: " +
                "call model.Adapt(trainingData) with the training features before Fit, Evaluate or Predict (or LoadWeights to load saved statistics).",
                error.Message);
        }

        Assert.Equal(before, model.Parameters.ToArray()); // nothing trained
        model.Adapt(X);
        Assert.True(model.IsAdapted);
        model.Fit(X, Y, epochs: 2, batchSize: 2, verbose: 0);
        Assert.Equal(4, model.Predict(X).GetLength(0));
    }

    [Fact]
    public void A_model_without_a_Normalization_layer_needs_no_Adapt()
    {
        var model = new Regressor(seed: 1);
        Assert.True(model.IsAdapted);
        model.Fit(X, new float[4, 2], epochs: 1, verbose: 0);
    }

    [Fact]
    public void Loaded_weights_count_as_adapted_even_when_the_file_holds_a_count_of_zero()
    {
        var adapted = new NormalizedRegressor(seed: 1);
        adapted.Adapt(X);
        adapted.SaveWeights(_dir.File("adapted.safetensors"));
        var loaded = new NormalizedRegressor(seed: 2);
        loaded.LoadWeights(_dir.File("adapted.safetensors"));
        Assert.True(loaded.IsAdapted);
        Assert.Equal(adapted.Predict(X), loaded.Predict(X));

        // Statistics written by another tool, which keeps no sample count: loading them is the user's decision.
        var other = new NormalizedRegressor(seed: 3);
        other.NormalizationMean.Fill(2);
        other.SaveWeights(_dir.File("no-count.safetensors"));
        var fromOther = new NormalizedRegressor(seed: 4);
        fromOther.LoadWeights(_dir.File("no-count.safetensors"));
        Assert.True(fromOther.IsAdapted);
        fromOther.Predict(X);
    }

    [Fact]
    public void Parameters_copied_from_an_adapted_model_count_and_reinitializing_forgets_the_statistics()
    {
        var adapted = new NormalizedRegressor(seed: 1);
        adapted.Adapt(new Dataset(Dataset.Flatten(X), 3, Y, 1));
        var copy = new NormalizedRegressor(seed: 2);
        adapted.Parameters.CopyTo(copy.Parameters);
        Assert.True(copy.IsAdapted);

        copy.InitializeParameters(5); // back to the identity statistics: they must be adapted again
        Assert.False(copy.IsAdapted);
        Assert.Throws<InvalidOperationException>(() => copy.Predict(X));

        var loaded = new NormalizedRegressor(seed: 3);
        adapted.SaveWeights(_dir.File("w.safetensors"));
        loaded.LoadWeights(_dir.File("w.safetensors"));
        loaded.InitializeParameters(6);
        Assert.False(loaded.IsAdapted);
    }

    [Fact]
    public void A_clone_keeps_the_adapted_state()
    {
        var adapted = new NormalizedRegressor(seed: 1);
        adapted.Adapt(X);
        Assert.True(adapted.Clone().IsAdapted);
        Assert.False(new NormalizedRegressor(seed: 1).Clone().IsAdapted);

        var other = new NormalizedRegressor(seed: 3);
        other.SaveWeights(_dir.File("no-count.safetensors"));
        var loaded = new NormalizedRegressor(seed: 4);
        loaded.LoadWeights(_dir.File("no-count.safetensors"));
        Assert.True(loaded.Clone().IsAdapted); // the loaded flag travels with the copy
    }
}
