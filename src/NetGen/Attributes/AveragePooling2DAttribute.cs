using System;

namespace NetGen;

/// <summary>
/// Average pooling over a channels-last sample [height, width, channels], as Keras's <c>AveragePooling2D</c>: each
/// output value is the mean of its window, per channel, <c>y[i, j, c] = (1 / |w|) Σ_{(u, v) ∈ w} x[i·sh + u − pt, j·sw + v − pl, c]</c>,
/// where with <see cref="Padding.Same"/> the padded cells are left out of the window <c>w</c> and of its count, as Keras
/// does. No parameters.
/// The output is [oh, ow, channels] with, per axis, <c>o = ⌊(n − p) / s⌋ + 1</c> for <see cref="Padding.Valid"/>
/// (the default) and <c>o = ⌈n / s⌉</c> for <see cref="Padding.Same"/>.
/// </summary>
/// <remarks>
/// As in Keras, <c>poolSize</c> is one int (a square window, 2 by default) or [height, width], and the strides default
/// to the pool size (windows side by side). <see cref="Strides"/> sets both axes; <see cref="StrideHeight"/> or
/// <see cref="StrideWidth"/> override one.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AveragePooling2DAttribute : Attribute
{
    private int? _strides;
    private int? _strideHeight;
    private int? _strideWidth;

    /// <param name="poolSize">Height and width of the square window. Defaults to 2.</param>
    public AveragePooling2DAttribute(int poolSize = 2)
    {
        PoolHeight = poolSize;
        PoolWidth = poolSize;
    }

    /// <param name="poolSize">[height, width] of the window.</param>
    public AveragePooling2DAttribute(int[] poolSize)
    {
        ArgumentNullException.ThrowIfNull(poolSize);
        PoolHeight = poolSize.Length > 0 ? poolSize[0] : 0;
        PoolWidth = poolSize.Length > 1 ? poolSize[1] : 0;
    }

    /// <summary>Window height.</summary>
    public int PoolHeight { get; }

    /// <summary>Window width.</summary>
    public int PoolWidth { get; }

    /// <summary>The step of the window along both axes. Defaults to the pool size (Keras's <c>strides=None</c>); with a non-square window, read <see cref="StrideHeight"/> and <see cref="StrideWidth"/>.</summary>
    public int Strides { get => _strides ?? PoolHeight; set => _strides = value; }

    /// <summary>The vertical step. Defaults to <see cref="Strides"/> if set, else the pool height.</summary>
    public int StrideHeight { get => _strideHeight ?? _strides ?? PoolHeight; set => _strideHeight = value; }

    /// <summary>The horizontal step. Defaults to <see cref="Strides"/> if set, else the pool width.</summary>
    public int StrideWidth { get => _strideWidth ?? _strides ?? PoolWidth; set => _strideWidth = value; }

    /// <summary>How the window meets the border. Defaults to <see cref="Padding.Valid"/>, Keras's default.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Layer name for the summary. Defaults to <c>average_pooling2d</c>, <c>average_pooling2d_1</c>, … as in Keras.</summary>
    public string? Name { get; set; }
}
