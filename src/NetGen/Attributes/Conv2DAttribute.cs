using System;

namespace NetGen;

/// <summary>
/// A 2-D convolution over a channels-last sample of shape [height, width, channels], as Keras's <c>Conv2D</c>:
/// <c>y[i, j, f] = activation(b[f] + Σ_{u, v, c} x[i·sh + u − pt, j·sw + v − pl, c] · W[u, v, c, f])</c>, with a kernel
/// <c>W</c> of shape [kernelHeight, kernelWidth, channels, filters] (Keras's layout), Glorot-uniform initialized with
/// fans kh·kw·channels and kh·kw·filters, and a zero-initialized bias <c>b</c> of shape [filters].
/// The output is [oh, ow, filters] with, per axis, <c>o = ⌊(n − k) / s⌋ + 1</c> for <see cref="Padding.Valid"/> and
/// <c>o = ⌈n / s⌉</c> for <see cref="Padding.Same"/> (see <see cref="NetGen.Padding"/>).
/// </summary>
/// <remarks>
/// Keras's <c>kernel_size</c> is one int or a pair; so is <c>kernelSize</c> here, through two constructors:
/// <c>[Conv2D(32, 3)]</c> for 3×3 and <c>[Conv2D(32, [3, 5])]</c> for 3 high, 5 wide. Strides, which Keras users mostly
/// write as one number, are the property <see cref="Strides"/>; <see cref="StrideHeight"/> or <see cref="StrideWidth"/>
/// override one axis (an attribute property cannot be both an int and an array).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    private int? _strideHeight;
    private int? _strideWidth;

    /// <param name="filters">Number of output channels (kernels).</param>
    /// <param name="kernelSize">Height and width of the square kernel.</param>
    /// <param name="activation">Activation applied to each output value.</param>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.Linear)
    {
        Filters = filters;
        KernelHeight = kernelSize;
        KernelWidth = kernelSize;
        Activation = activation;
    }

    /// <param name="filters">Number of output channels (kernels).</param>
    /// <param name="kernelSize">[height, width] of the kernel.</param>
    /// <param name="activation">Activation applied to each output value.</param>
    public Conv2DAttribute(int filters, int[] kernelSize, Activation activation = Activation.Linear)
    {
        ArgumentNullException.ThrowIfNull(kernelSize);
        Filters = filters;
        KernelHeight = kernelSize.Length > 0 ? kernelSize[0] : 0;
        KernelWidth = kernelSize.Length > 1 ? kernelSize[1] : 0;
        Activation = activation;
    }

    /// <summary>Number of output channels (kernels).</summary>
    public int Filters { get; }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>Activation applied to each output value.</summary>
    public Activation Activation { get; }

    /// <summary>The step of the kernel along both axes. Defaults to 1.</summary>
    public int Strides { get; set; } = 1;

    /// <summary>The vertical step, when it differs from <see cref="Strides"/>.</summary>
    public int StrideHeight { get => _strideHeight ?? Strides; set => _strideHeight = value; }

    /// <summary>The horizontal step, when it differs from <see cref="Strides"/>.</summary>
    public int StrideWidth { get => _strideWidth ?? Strides; set => _strideWidth = value; }

    /// <summary>How the kernel meets the border. Defaults to <see cref="Padding.Valid"/>, Keras's default.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Negative slope of <see cref="Activation.LeakyReLU"/>. Defaults to 0.2, Keras 3's default.</summary>
    public double Alpha { get; set; } = 0.2;

    /// <summary>Layer name for the summary and the weight file. Defaults to <c>conv2d</c>, <c>conv2d_1</c>, … as in Keras.</summary>
    public string? Name { get; set; }
}
