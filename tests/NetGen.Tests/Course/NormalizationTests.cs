using System;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Tests.Models;

namespace NetGen.Tests.Course;

public class NormalizationTests
{
    private static readonly float[,] X = { { 1, -20, 300 }, { 3, 10, 100 }, { 2, 40, 200 }, { 6, 10, 0 } };

    [Fact]
    public void Adapt_stores_the_population_mean_variance_and_count_like_keras()
    {
        var model = new NormalizedRegressor();
        model.Adapt(X);
        Assert.Equal([3f, 10f, 150f], model.NormalizationMean.ToArray());
        // Population variances: (4+0+1+9)/4, (900+0+900+0)/4, (22500+2500+2500+22500)/4.
        Assert.Equal([3.5f, 450f, 12500f], model.NormalizationVariance.ToArray());
        Assert.Equal(4f, model.NormalizationCount[0]);
    }

    [Fact]
    public void Adapt_is_exact_for_large_offsets()
    {
        // A one-pass sum-of-squares formula loses everything here; two passes in double do not.
        var model = new NormalizedRegressor();
        model.Adapt(new float[,] { { 1e6f + 1, 0, 0 }, { 1e6f + 2, 0, 0 }, { 1e6f + 3, 0, 0 } });
        Assert.Equal(2f / 3f, model.NormalizationVariance[0], 5);
        Assert.Equal(0f, model.NormalizationVariance[1]);
    }

    [Fact]
    public void Normalized_inputs_have_zero_mean_and_unit_variance_and_constant_features_map_to_zero()
    {
        var model = new NormalizedRegressor(seed: 2);
        float[,] x = { { 1, 5, 2 }, { 3, 5, 4 }, { 5, 5, 9 } };
        model.Adapt(x);
        float[] y = new float[9];
        var flat = new float[] { 1, 5, 2, 3, 5, 4, 5, 5, 9 };
        NetGen.Kernels.Normalization.Forward(flat, model.NormalizationMean, model.NormalizationVariance, y);
        Assert.Equal(0f, y[0] + y[3] + y[6], 5);
        Assert.Equal(3f, (y[0] * y[0]) + (y[3] * y[3]) + (y[6] * y[6]), 4);
        Assert.Equal([0f, 0f, 0f], new[] { y[1], y[4], y[7] }); // variance 0: clamped by epsilon, no NaN
    }

    [Fact]
    public void Statistics_are_non_trainable_counted_like_keras_and_left_alone_by_training()
    {
        Assert.Contains("normalization (Normalization)", NormalizedRegressor.Summary, StringComparison.Ordinal);
        Assert.Contains("Non-trainable params: 7 (28.00 B)", NormalizedRegressor.Summary, StringComparison.Ordinal); // 2·3 + 1
        var model = new NormalizedRegressor(seed: 3);
        Assert.Equal(model.Info.ParameterCount - 7, model.TrainableParameters.Length);
        model.Adapt(X);
        float[] statistics = model.Parameters[^7..].ToArray();
        model.Compile(new Adam(0.1f));
        model.Fit(X, new float[] { 1, 2, 3, 4 }, epochs: 20, batchSize: 2, verbose: 0);
        Assert.Equal(statistics, model.Parameters[^7..].ToArray());
        Assert.Equal(["normalization.mean", "normalization.variance", "normalization.count"], model.Info.Tensors.Where(t => !t.Trainable).Select(t => t.Name));
    }

    [Fact]
    public void Before_adapt_the_layer_is_the_identity_and_models_without_it_cannot_adapt()
    {
        var model = new NormalizedRegressor();
        Assert.Equal([1f, 1f, 1f], model.NormalizationVariance.ToArray());
        Assert.Throws<InvalidOperationException>(() => new Regressor().Adapt(X));
        Assert.Throws<ArgumentException>(() => model.Adapt(new float[2, 4]));
    }
}
