using System;
using System.Linq;

namespace NetGen.Tests.Gradients;

/// <summary>
/// The standalone activation layer ([ActivationLayer], Keras's layers.Activation) in whole networks: every function,
/// differentiated from its input (ReLU, leaky ReLU) or its saved output (sigmoid, tanh, softmax), before and after
/// Dropout, against central finite differences of the double reference; and the layer equals the activation fused
/// into a Dense layer, bit for bit.
/// </summary>
public class ActivationLayerGradientTests
{
    [Theory]
    [InlineData(nameof(ActivatedRegressor))]
    [InlineData(nameof(ActivatedClassifier))]
    [InlineData(nameof(ActivatedSoftmaxMse))]
    public void Backward_matches_central_finite_differences_in_double(string name) =>
        NetworkGradientTests.AssertBackwardMatchesReference(name switch
        {
            nameof(ActivatedRegressor) => new ActivatedRegressor(seed: 3),
            nameof(ActivatedClassifier) => new ActivatedClassifier(seed: 3),
            _ => new ActivatedSoftmaxMse(seed: 3),
        }, name);

    [Fact]
    public void A_relu_layer_after_a_linear_dense_gives_the_bits_of_a_relu_dense()
    {
        var separate = new ActivatedPair(seed: 9);
        var fused = new FusedPair(seed: 9);
        Assert.Equal(separate.Info.ParameterCount, fused.Info.ParameterCount);
        separate.Parameters.CopyTo(fused.Parameters);
        float[] x = Enumerable.Range(0, 7 * 5).Select(i => (float)Math.Sin(i * 0.7)).ToArray();
        float[] labels = [0, 1, 2, 1, 0, 2, 2];

        Assert.Equal(fused.Forward(x, 7, training: true).ToArray(), separate.Forward(x, 7, training: true).ToArray());
        Assert.Equal(fused.Backward(x, labels, 7), separate.Backward(x, labels, 7));
        Assert.Equal(fused.Gradients.ToArray(), separate.Gradients.ToArray());
        Assert.Equal(fused.Predict(x.AsSpan(0, 5).ToArray()), separate.Predict(x.AsSpan(0, 5).ToArray()));
    }

    [Fact]
    public void The_summary_and_info_show_the_layer()
    {
        var model = new ActivatedClassifier(seed: 1);
        LayerInfo layer = model.Info.Layers.Single(l => l.Name == "squash");
        Assert.Equal(LayerKind.Activation, layer.Kind);
        Assert.Equal(Activation.LeakyReLU, layer.Activation);
        Assert.Equal(0.1f, layer.Alpha);
        Assert.Equal(0, layer.ParameterCount);
        // The name column widens to the longest name and type, so every shape starts under "Output Shape".
        string[] rows = ActivatedClassifier.Summary.Split('\n');
        int shapeColumn = rows.Single(r => r.StartsWith(" Layer (type)", StringComparison.Ordinal)).IndexOf("Output Shape", StringComparison.Ordinal);
        string row = rows.Single(r => r.StartsWith(" squash (Activation, leaky_relu) ", StringComparison.Ordinal));
        Assert.Equal(shapeColumn, row.IndexOf("(None, 6)", StringComparison.Ordinal));
        Assert.EndsWith(" 0", row, StringComparison.Ordinal);
    }
}

/// <summary>Linear Dense layers each followed by an activation layer; tanh and sigmoid differentiate from their output.</summary>
[Sequential(4, Loss = Loss.MeanSquaredError)]
[Dense(6)]
[ActivationLayer(Activation.Tanh)]
[Dense(5)]
[ActivationLayer(Activation.Sigmoid)]
[Dense(2)]
public sealed partial class ActivatedRegressor;

/// <summary>ReLU and leaky ReLU layers (from their input), one after a Dropout, and a linear one (the identity).</summary>
[Sequential(5, Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(6)]
[ActivationLayer(Activation.ReLU)]
[Dense(6)]
[Dropout(0)]
[ActivationLayer(Activation.LeakyReLU, Alpha = 0.1, Name = "squash")]
[ActivationLayer(Activation.Linear)]
[Dense(3, Activation.Softmax)]
public sealed partial class ActivatedClassifier;

/// <summary>A softmax layer inside the network (its backward from the saved output), then a linear output with MSE.</summary>
[Sequential(3, Loss = Loss.MeanSquaredError)]
[Dense(4)]
[ActivationLayer(Activation.Softmax)]
[Dense(2)]
public sealed partial class ActivatedSoftmaxMse;

/// <summary>A linear Dense layer and a ReLU layer: the same function as <see cref="FusedPair"/>.</summary>
[Sequential(5, Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(8, Name = "hidden")]
[ActivationLayer(Activation.ReLU)]
[Dense(3, Activation.Softmax, Name = "output")]
public sealed partial class ActivatedPair;

/// <summary>The ReLU fused into the Dense layer.</summary>
[Sequential(5, Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(8, Activation.ReLU, Name = "hidden")]
[Dense(3, Activation.Softmax, Name = "output")]
public sealed partial class FusedPair;
