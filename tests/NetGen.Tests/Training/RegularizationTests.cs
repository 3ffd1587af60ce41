using System;
using System.Linq;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>The L2 kernel regularizer in the losses the runtime reports, as Keras adds regularization losses.</summary>
public sealed class RegularizationTests
{
    [Fact]
    public void The_tensor_table_carries_the_factor_on_kernels_only()
    {
        var model = new L2Regressor(seed: 1);
        Assert.Equal([0.5f, 0f, 0.01f, 0f], model.Info.Tensors.Select(t => t.L2));
        Assert.All(new Regressor(seed: 1).Info.Tensors, t => Assert.Equal(0f, t.L2));
    }

    [Fact]
    public void Evaluate_and_training_report_the_data_loss_plus_the_penalty()
    {
        var model = new L2Regressor(seed: 4);
        float[,] x = { { 1, 2, 3 }, { -1, 0, 2 }, { 0.5f, -2, 1 } };
        float[,] y = { { 0.1f, 0.2f }, { -0.3f, 0.4f }, { 0f, 1f } };
        double penalty = model.Info.Tensors.Sum(t => t.L2 * model.Tensor(t.Name).ToArray().Sum(w => (double)w * w));
        Assert.True(penalty > 0.1, "the regularizer is large enough to notice");

        // The data loss alone, from the same weights in a model without regularizers.
        var plain = new Regressor2(seed: 0);
        model.Parameters.CopyTo(plain.Parameters);
        float dataLoss = plain.Evaluate(x, y).Loss;
        Assert.Equal(dataLoss + penalty, model.Evaluate(x, y).Loss, 5);

        float[] flat = NetGen.Data.Dataset.Flatten(x), targets = NetGen.Data.Dataset.Flatten(y);
        model.Forward(flat, 3, training: true);
        Assert.Equal(dataLoss + penalty, model.Backward(flat, targets, 3), 5);
    }

    [Fact]
    public void Training_with_a_strong_regularizer_shrinks_the_kernels()
    {
        float[,] x = { { 1, 2, 3 }, { -1, 0, 2 }, { 0.5f, -2, 1 }, { 2, 1, 0 } };
        float[,] y = { { 5f, 5f }, { 5f, 5f }, { 5f, 5f }, { 5f, 5f } };
        var regularized = new L2Regressor(seed: 2);
        var plain = new Regressor2(seed: 2);
        regularized.Compile(new NetGen.Optimizers.Adam(0.05f));
        plain.Compile(new NetGen.Optimizers.Adam(0.05f));
        regularized.Fit(x, y, epochs: 300, batchSize: 4, seed: 1, verbose: 0);
        plain.Fit(x, y, epochs: 300, batchSize: 4, seed: 1, verbose: 0);
        double Norm(Network m) => m.Tensor("dense.kernel").ToArray().Sum(w => (double)w * w);
        Assert.True(Norm(regularized) < 0.5 * Norm(plain), $"{Norm(regularized)} vs {Norm(plain)}");
        Assert.True(regularized.Evaluate(x, y).Loss < 5, "it still fits the targets");
    }
}
