using System;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Training;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>When training diverges, the message names a value no training survives instead of generic advice.</summary>
public class DivergenceCauseTests
{
    private static readonly float[,] X = { { 0, 1, 2 }, { 1, 0, -1 }, { 2, 2, 0 }, { -1, 1, 1 } };
    private static readonly float[,] Y = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 0, 0 } };

    [Fact]
    public void A_weight_that_is_not_finite_is_named()
    {
        var model = new Regressor(seed: 1);
        model.Parameters[7] = float.PositiveInfinity;
        var error = Assert.Throws<TrainingDivergedException>(() => model.Fit(X, Y, epochs: 1, verbose: 0));
        string tensor = model.Info.Tensors.First(t => t.Offset <= 7 && 7 < t.Offset + t.Length).Name;
        Assert.StartsWith($"the weight {tensor}[", error.LikelyCause, StringComparison.Ordinal);
        Assert.Contains("is Infinity", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("check the data's scale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extreme_learning_rate_is_named()
    {
        var model = new Regressor(seed: 1);
        model.Compile(new Sgd(learningRate: 1e30f));
        var error = Assert.Throws<TrainingDivergedException>(() => model.Fit(X, Y, epochs: 50, batchSize: 4, verbose: 0));
        Assert.Equal("the learning rate is 1E+30, far above the usual 0.0001 to 0.1: lower it", error.LikelyCause);
        Assert.EndsWith("likely cause: the learning rate is 1E+30, far above the usual 0.0001 to 0.1: lower it.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blown_up_weights_an_infinite_slope_and_nothing_at_all()
    {
        var model = new SparseClassifier(seed: 1);
        Assert.Null(DivergenceCause.Find(model.Info, model.Parameters, 0.001f));

        model.Parameters[3] = -3e9f;
        Assert.StartsWith("the weights have grown to -3E+09 (", DivergenceCause.Find(model.Info, model.Parameters, 0.001f), StringComparison.Ordinal);

        // gen17's build-time check refuses an infinite Alpha; a model built before it, or any slope this steep, still names itself.
        LayerInfo leaky = model.Info.Layers.First(l => l.Activation == Activation.LeakyReLU);
        var layers = model.Info.Layers.Select(l => l == leaky ? l with { Alpha = float.PositiveInfinity } : l).ToArray();
        var info = new NetworkInfo(model.Info.Name, [.. model.Info.InputShape], model.Info.OutputSize, model.Info.Loss, model.Info.OutputActivation, layers, model.Info.Tensors, model.Info.Summary);
        Assert.Equal(
            $"layer '{leaky.Name}' has LeakyReLU Alpha = Infinity, a slope that multiplies every negative input, so its activations overflow: use a small slope such as 0.01 or 0.3",
            DivergenceCause.Find(info, model.Parameters, 0.001f));
    }
}
