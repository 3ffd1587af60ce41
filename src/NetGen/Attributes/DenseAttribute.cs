using System;

namespace NetGen;

/// <summary>
/// A fully connected layer: <c>y = activation(x · W + b)</c> with a kernel <c>W</c> of shape [inputs, units]
/// (Keras's layout), Glorot-uniform initialized, and a zero-initialized bias.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <param name="units">Number of output units.</param>
    /// <param name="activation">Activation applied to the layer's output.</param>
    public DenseAttribute(int units, Activation activation = Activation.Linear)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>Activation applied to the layer's output.</summary>
    public Activation Activation { get; }

    /// <summary>Layer name, used in the summary and as the prefix of the tensor names in weight files. Defaults to <c>dense</c>, <c>dense_1</c>, … as in Keras.</summary>
    public string? Name { get; set; }

    /// <summary>Negative slope of <see cref="Activation.LeakyReLU"/>. Defaults to 0.2, Keras 3's default.</summary>
    public double Alpha { get; set; } = 0.2;

    /// <summary>
    /// Optional: the number of inputs this layer expects. When set, the build fails if the previous layer
    /// produces a different size (like Keras's <c>input_shape</c> on a layer).
    /// </summary>
    public int InputSize { get; set; }
}
