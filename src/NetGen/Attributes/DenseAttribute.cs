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
    /// L2 regularization of the kernel, Keras's <c>kernel_regularizer=regularizers.l2(KernelL2)</c>: training adds
    /// KernelL2·Σw² over the kernel's weights to the loss (the reported loss, validation loss and <c>Evaluate</c> included,
    /// as Keras adds regularization losses) and 2·KernelL2·w to each weight's gradient. The bias is never regularized.
    /// 0 (the default) for none; a negative or non-finite value is build error NG0113.
    /// </summary>
    public double KernelL2 { get; set; }

    /// <summary>
    /// Optional: the number of inputs this layer expects. When set, the build fails if the previous layer
    /// produces a different size (like Keras's <c>input_shape</c> on a layer).
    /// </summary>
    public int InputSize { get; set; }
}
