using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>The arguments of a layer kind beyond those every layer has, as written; the validator judges them.</summary>
internal abstract record LayerArguments;

/// <summary>
/// A sliding window's arguments as written (Conv2D's kernel, a pooling layer's window). <see cref="Size"/> is the
/// size argument: one element for the int form (a square window), the array's elements for the <c>int[]</c> form
/// (<see cref="SizeIsArray"/>; legal with exactly two, [height, width]). <see cref="Strides"/>, <see cref="StrideHeight"/> and
/// <see cref="StrideWidth"/> are null when not written; <see cref="DefaultStride"/> applies then (1 for a
/// convolution, the window's size for pooling, as Keras).
/// </summary>
internal sealed record WindowArguments(
    EquatableArray<int> Size,
    string SizeArgument,
    int? Strides,
    int? StrideHeight,
    int? StrideWidth,
    PaddingKind Padding,
    bool StrideDefaultsToSize,
    bool SizeIsArray)
{
    /// <summary>Whether <see cref="Size"/> is one int, or an array of two.</summary>
    public bool SizeWellFormed => SizeIsArray ? Size.Count == 2 : Size.Count == 1;

    public int Height => Size.Count > 0 ? Size[0] : 0;

    public int Width => Size.Count > 1 ? Size[1] : Height;

    public int EffectiveStrideHeight => StrideHeight ?? Strides ?? (StrideDefaultsToSize ? Height : 1);

    public int EffectiveStrideWidth => StrideWidth ?? Strides ?? (StrideDefaultsToSize ? Width : 1);

    /// <summary>The argument that set the vertical stride (for a diagnostic's location), or null for the default.</summary>
    public string? StrideHeightArgument => StrideHeight is not null ? "StrideHeight" : Strides is not null ? "Strides" : null;

    /// <summary>The argument that set the horizontal stride, or null for the default.</summary>
    public string? StrideWidthArgument => StrideWidth is not null ? "StrideWidth" : Strides is not null ? "Strides" : null;
}

/// <summary>Conv2D's arguments; its activation and alpha are <see cref="LayerDeclaration"/>'s, as Dense's are.</summary>
internal sealed record Conv2DArguments(int Filters, WindowArguments Window) : LayerArguments;

/// <summary>MaxPooling2D's and AveragePooling2D's arguments.</summary>
internal sealed record PoolingArguments(WindowArguments Window) : LayerArguments;

/// <summary>BatchNormalization's arguments.</summary>
internal sealed record BatchNormalizationArguments(double Momentum, double Epsilon) : LayerArguments;
