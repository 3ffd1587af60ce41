using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Shapes;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Layers;

/// <summary>
/// A sliding window's arguments as written (Conv2D's kernel, a pooling layer's window). <see cref="Size"/> is the
/// size argument: one element for the int form (a square window), the array's elements for the <c>int[]</c> form
/// (<see cref="SizeIsArray"/>; legal with exactly two, [height, width]). <see cref="Strides"/>, <see cref="StrideHeight"/>
/// and <see cref="StrideWidth"/> are null when not written; then the stride is 1 for a convolution and the window's
/// size for pooling (<see cref="StrideDefaultsToSize"/>), as in Keras.
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

/// <summary>What MaxPooling2D's and AveragePooling2D's arguments share: their window.</summary>
internal abstract record PoolingArguments(WindowArguments Window) : LayerArguments;

/// <summary><c>[MaxPooling2D(poolSize, Strides, StrideHeight, StrideWidth, Padding)]</c>.</summary>
internal sealed record MaxPooling2DArguments(WindowArguments Window) : PoolingArguments(Window);

/// <summary><c>[AveragePooling2D(poolSize, Strides, StrideHeight, StrideWidth, Padding)]</c>.</summary>
internal sealed record AveragePooling2DArguments(WindowArguments Window) : PoolingArguments(Window);

/// <summary>
/// What Conv2D, MaxPooling2D, AveragePooling2D and GlobalAveragePooling2D share: reading a window's arguments, their
/// checks and the shape arithmetic (each finding on the argument at fault, naming the arithmetic; the arithmetic itself
/// is <see cref="WindowArithmetic"/>), and the kernels' compile-time geometry.
/// </summary>
internal static class SlidingWindow
{
    /// <summary>
    /// The most values one layer may output per sample (NG0131): 2^24 floats are 64 MiB per sample, 2 GiB for a batch of
    /// 32 in that layer alone, and keep batch × size inside the int indices of the runtime's spans for batches up to 127.
    /// </summary>
    public const long MaxActivationsPerSample = 1L << 24;

    /// <summary>A window size parameter: <c>int</c> (square) or <c>int[]</c> ([height, width]).</summary>
    public static bool IsSize(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Int32 || type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int32 };

    /// <summary>The named arguments a window reads: the strides (int) and the padding (an enum over int).</summary>
    public static bool PropertyMatches(string property, ITypeSymbol type) => property switch
    {
        "Strides" or "StrideHeight" or "StrideWidth" => type.SpecialType == SpecialType.System_Int32,
        "Padding" => AttributeShape.IsIntEnum(type),
        _ => true,
    };

    /// <summary>Reads the window whose size is constructor argument <paramref name="sizeIndex"/>.</summary>
    public static WindowArguments Read(AttributeArguments attribute, int sizeIndex, string sizeArgument, bool strideDefaultsToSize)
    {
        TypedConstant size = attribute.ConstructorArguments[sizeIndex];
        bool isArray = size.Kind == TypedConstantKind.Array;
        int[] sizes;
        if (!isArray)
        {
            sizes = [AttributeArguments.ToInt(size)];
        }
        else if (size.Values.IsDefault)
        {
            sizes = []; // a null array: no size at all, reported as not a pair
        }
        else
        {
            sizes = new int[size.Values.Length];
            for (int i = 0; i < sizes.Length; i++)
            {
                sizes[i] = AttributeArguments.ToInt(size.Values[i]);
            }
        }

        int? Named(string name) => attribute.TryGetNamed(name, out TypedConstant value) ? AttributeArguments.ToInt(value) : null;
        return new WindowArguments(sizes.ToEquatableArray(), sizeArgument, Named("Strides"), Named("StrideHeight"), Named("StrideWidth"),
            (PaddingKind)attribute.NamedInt("Padding", 0), strideDefaultsToSize, isArray);
    }

    /// <summary>A window's size, strides and padding (NG0121, NG0122, NG0123, NG0130); returns whether the output can be inferred from them.</summary>
    public static bool Check(LayerValidation layer, WindowArguments window)
    {
        string kind = layer.Descriptor.KerasName, name = layer.Name;
        bool sound = true;
        if (!window.SizeWellFormed)
        {
            layer.Report(OnWholeArgument(layer, DiagnosticIds.WindowNotPair, window.SizeArgument, kind, name, window.SizeArgument, string.Join(", ", window.Size)));
            sound = false;
        }
        else if (window.Height <= 0 || window.Width <= 0)
        {
            layer.Report(OnWholeArgument(layer, DiagnosticIds.NonPositiveWindow, window.SizeArgument, kind, name,
                layer.Declaration.Kind == LayerKind.Conv2D ? "kernel size" : "pool size", Num(window.Height) + "×" + Num(window.Width)));
            sound = false;
        }

        // Only a stride that was written can be wrong; a pooling layer's default (its window) is judged with the window.
        // 'Strides = 0' sets both axes: one finding, on it.
        string? heightArgument = window.StrideHeightArgument, widthArgument = window.StrideWidthArgument;
        bool heightBad = heightArgument is not null && window.EffectiveStrideHeight <= 0;
        bool widthBad = widthArgument is not null && window.EffectiveStrideWidth <= 0;
        if (heightBad)
        {
            layer.Report(DiagnosticIds.NonPositiveStride, heightArgument, kind, name, heightArgument!, Num(window.EffectiveStrideHeight));
        }

        if (widthBad && !(heightBad && widthArgument == heightArgument))
        {
            layer.Report(DiagnosticIds.NonPositiveStride, widthArgument, kind, name, widthArgument!, Num(window.EffectiveStrideWidth));
        }

        sound &= window.EffectiveStrideHeight > 0 && window.EffectiveStrideWidth > 0;
        if (window.Padding is not (PaddingKind.Valid or PaddingKind.Same))
        {
            layer.Report(DiagnosticIds.UnknownPadding, "Padding", kind, name, Num((int)window.Padding));
            sound = false;
        }

        return sound;
    }

    /// <summary>
    /// Checks that the layer receives an image (height × width × channels) and returns it, or null after reporting why
    /// not. A height × width input is reported on the input shape (NG0126) and read as height × width × 1, the fix's
    /// shape, which becomes what the layer receives: so the layers after it are checked as they will be after the fix.
    /// Only the input can be 2-D (every layer outputs a vector or an image, or passes its input's shape on), and the first
    /// spatial layer to meet it makes it 3-D, so this is reported once.
    /// </summary>
    public static List<long>? Image(LayerValidation layer)
    {
        var shape = new List<long>(layer.Shape);
        NetworkDeclaration model = layer.Model;
        if (shape.Count == 2)
        {
            string given = string.Join(", ", model.InputShape);
            layer.Report(new Finding(DiagnosticIds.MissingChannelDimension, model.SequentialAttributeIndex, "inputShape", Finding.WholeArgument,
                new EquatableArray<string>(new[] { given, model.ClassName, layer.Descriptor.KerasName, layer.Name, given + ", 1" }),
                new[] { new DiagnosticProperty(DiagnosticProperties.ShapeWithChannel, string.Join(",", model.InputShape) + ",1") }.ToEquatableArray()));
            shape.Add(1);
            layer.Produce(shape);
        }

        if (shape.Count != 3)
        {
            string hint = shape.Count == 1
                ? ": it comes after a layer that outputs a vector (Flatten, Dense or GlobalAveragePooling2D), so move it before that layer"
                : string.Empty;
            layer.Report(DiagnosticIds.NeedsImageInput, null, layer.Descriptor.KerasName, layer.Name, string.Join(", ", shape), hint);
            return null;
        }

        return shape;
    }

    /// <summary>
    /// The output [oh, ow, <paramref name="channels"/>] of <paramref name="window"/> over <paramref name="image"/>, or null
    /// when a valid-padding window does not fit (NG0124); warns when a stride leaves trailing rows or columns unread (NG0127).
    /// </summary>
    public static List<long>? Output(LayerValidation layer, WindowArguments window, List<long> image, long channels)
    {
        string kind = layer.Descriptor.KerasName, name = layer.Name;
        long height = image[0], width = image[1];
        int kh = window.Height, kw = window.Width, sh = window.EffectiveStrideHeight, sw = window.EffectiveStrideWidth;
        bool convolution = layer.Declaration.Kind == LayerKind.Conv2D;
        string what = convolution ? "kernel" : "pool window";
        if (window.Padding == PaddingKind.Valid && (kh > height || kw > width))
        {
            var over = new List<string>();
            if (kh > height)
            {
                over.Add(Num(kh) + " > " + Num(height) + " rows");
            }

            if (kw > width)
            {
                over.Add(Num(kw) + " > " + Num(width) + " columns");
            }

            layer.Report(OnWholeArgument(layer, DiagnosticIds.WindowLargerThanInput, window.SizeArgument,
                kind, name, Num(kh) + "×" + Num(kw), what, layer.Producer, Num(height) + "×" + Num(width), string.Join(" and ", over)));
            return null;
        }

        // A pooling window whose stride is its size tiles the input, and dropping the remainder is the convention (Keras's
        // own MNIST convnet pools 11×11 to 5×5): only a stride the user chose otherwise, or a convolution's, is suspect.
        long unusedRows = !convolution && sh == kh ? 0 : WindowArithmetic.UnusedTrailing(height, kh, sh, window.Padding);
        long unusedColumns = !convolution && sw == kw ? 0 : WindowArithmetic.UnusedTrailing(width, kw, sw, window.Padding);
        if (unusedRows > 0 || unusedColumns > 0)
        {
            var arithmetic = new List<string>();
            var counts = new List<string>();
            if (unusedRows > 0)
            {
                arithmetic.Add("(" + Num(height) + " − " + Num(kh) + ") mod " + Num(sh) + " = " + Num(unusedRows));
                counts.Add(Num(unusedRows) + (unusedRows == 1 ? " row" : " rows"));
            }

            if (unusedColumns > 0)
            {
                arithmetic.Add("(" + Num(width) + " − " + Num(kw) + ") mod " + Num(sw) + " = " + Num(unusedColumns));
                counts.Add(Num(unusedColumns) + (unusedColumns == 1 ? " column" : " columns"));
            }

            layer.Report(DiagnosticIds.UnusedInputRows, unusedRows > 0 ? window.StrideHeightArgument : window.StrideWidthArgument,
                kind, name, Num(kh) + "×" + Num(kw), Num(sh) + "×" + Num(sw), Num(height) + "×" + Num(width), layer.Producer,
                string.Join(" and ", arithmetic), string.Join(" and ", counts));
        }

        return [WindowArithmetic.OutputLength(height, kh, sh, window.Padding), WindowArithmetic.OutputLength(width, kw, sw, window.Padding), channels];
    }

    /// <summary>NG0131 when the layer's output per sample passes <see cref="MaxActivationsPerSample"/> (the count is then no longer exact); returns whether it did.</summary>
    public static bool TooManyActivations(LayerValidation layer, List<long> output)
    {
        long size = LayerDeclarations.Product(output);
        if (size <= MaxActivationsPerSample)
        {
            return false;
        }

        double batchGiB = (double)size * 4 * 32 / (1L << 30);
        layer.Report(DiagnosticIds.TooManyActivations, null, layer.Descriptor.KerasName, layer.Name, string.Join("×", output),
            size.ToString("N0", CultureInfo.InvariantCulture), MaxActivationsPerSample.ToString("N0", CultureInfo.InvariantCulture),
            Num(MaxActivationsPerSample * 4 / (1L << 20)), batchGiB.ToString("F1", CultureInfo.InvariantCulture));
        layer.Complete = layer.CountExact = false;
        return true;
    }

    /// <summary>
    /// The kernels' geometry of <paramref name="window"/> over the layer's input, as a C# expression of constants
    /// (a readonly struct passed by <c>in</c>: no field, no allocation).
    /// </summary>
    public static string Geometry(LayerSpec layer, WindowArguments window)
    {
        int h = layer.InputShape[0], w = layer.InputShape[1], c = layer.InputShape[2];
        int kh = window.Height, kw = window.Width, sh = window.EffectiveStrideHeight, sw = window.EffectiveStrideWidth;
        long top = WindowArithmetic.PaddingBefore(h, kh, sh, window.Padding), left = WindowArithmetic.PaddingBefore(w, kw, sw, window.Padding);
        return "new " + KnownTypes.Conv2DGeometry + "(" + string.Join(", ", Num(h), Num(w), Num(c), Num(kh), Num(kw), Num(sh), Num(sw), Num(top), Num(left),
            Num(layer.OutputShape[0]), Num(layer.OutputShape[1])) + ")";
    }

    /// <summary>"3×3, strides 2×2, same": the window as a comment shows it.</summary>
    public static string Describe(WindowArguments window) =>
        Num(window.Height) + "×" + Num(window.Width) + ", strides " + Num(window.EffectiveStrideHeight) + "×" + Num(window.EffectiveStrideWidth)
        + ", " + (window.Padding == PaddingKind.Same ? "same" : "valid");

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A finding on a whole size argument (<c>[3, 3]</c>, not its first element).</summary>
    private static Finding OnWholeArgument(LayerValidation layer, string id, string argument, params string[] args) =>
        new(id, layer.Declaration.AttributeIndex, argument, Finding.WholeArgument, new EquatableArray<string>(args));
}
