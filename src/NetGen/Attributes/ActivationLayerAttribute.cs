using System;

namespace NetGen;

/// <summary>
/// A standalone activation layer, Keras's <c>layers.Activation("relu")</c>: <c>y = activation(x)</c> element-wise
/// (softmax over the last dimension), with no parameters. Written <c>[ActivationLayer(Activation.ReLU)]</c>: a class
/// named <c>ActivationAttribute</c> would make <c>[Activation(...)]</c> read as the <see cref="NetGen.Activation"/> enum
/// to anyone (and to the compiler wherever both are in scope), so the layer says what it is.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationLayerAttribute : Attribute
{
    /// <param name="activation">The function applied to every input.</param>
    public ActivationLayerAttribute(Activation activation) => Activation = activation;

    /// <summary>The function applied to every input.</summary>
    public Activation Activation { get; }

    /// <summary>Layer name for the summary. Defaults to <c>activation</c>, <c>activation_1</c>, … as in Keras.</summary>
    public string? Name { get; set; }

    /// <summary>Negative slope of <see cref="Activation.LeakyReLU"/>. Defaults to 0.2, Keras 3's default.</summary>
    public double Alpha { get; set; } = 0.2;
}
