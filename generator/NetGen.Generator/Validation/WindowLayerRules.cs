using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Shapes;

namespace NetGen.Generator.Validation;

/// <summary>The shapes of a layer of issue 14 with a known input: what it receives (after NG0126's assumed channel) and what it produces.</summary>
internal readonly record struct InferredShape(long[] Input, long[] Output);

/// <summary>
/// The build-time checks and shape inference of Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D and
/// BatchNormalization (issue 14), each finding on the argument at fault and naming the arithmetic. Pure: plain data
/// in, findings and shapes out; the window arithmetic itself is <see cref="WindowArithmetic"/>.
/// </summary>
internal static class WindowLayerRules
{
    /// <summary>
    /// The most values one layer may output per sample (NG0131): 2^24 floats are 64 MiB per sample, 2 GiB for a batch of
    /// 32 in that layer alone, and keep batch × size inside the int indices of the runtime's spans for batches up to 127.
    /// </summary>
    public const long MaxActivationsPerSample = 1L << 24;

    /// <summary>Whether the validator hands the kind to this class.</summary>
    public static bool Handles(LayerKind kind) =>
        kind is LayerKind.Conv2D or LayerKind.MaxPooling2D or LayerKind.AveragePooling2D or LayerKind.GlobalAveragePooling2D or LayerKind.BatchNormalization;

    /// <summary>Keras's default-name stem where it is not the kind's name in lower case (<c>max_pooling2d</c>, not <c>maxpooling2d</c>).</summary>
    public static string? KerasStem(LayerKind kind) => kind switch
    {
        LayerKind.MaxPooling2D => "max_pooling2d",
        LayerKind.AveragePooling2D => "average_pooling2d",
        LayerKind.GlobalAveragePooling2D => "global_average_pooling2d",
        LayerKind.BatchNormalization => "batch_normalization",
        _ => null,
    };

    /// <summary>
    /// The checks of the layer's own arguments, which need no shape. Returns whether they are sound enough to infer the
    /// layer's output (a bad filter count, window, stride or padding leaves it unknown).
    /// </summary>
    public static bool CheckArguments(LayerDeclaration layer, string name, List<Finding> findings)
    {
        string kind = layer.Kind.ToString();
        switch (layer.Arguments)
        {
            case Conv2DArguments conv:
                bool sound = conv.Filters > 0;
                if (!sound)
                {
                    findings.Add(Error(DiagnosticIds.NonPositiveFilters, layer.AttributeIndex, "filters", name, Num(conv.Filters)));
                }

                CheckActivation(layer, name, findings);
                return CheckWindow(layer, kind, name, conv.Window, findings) && sound;

            case PoolingArguments pool:
                return CheckWindow(layer, kind, name, pool.Window, findings);

            case BatchNormalizationArguments norm:
                // Both run as floats: a momentum just under 1 rounds to 1 (the statistics would never move), an epsilon
                // under float's smallest value to 0.
                if (!(norm.Momentum >= 0 && (float)norm.Momentum < 1f))
                {
                    string shown = Real(norm.Momentum) + (norm.Momentum < 1 && (float)norm.Momentum >= 1f ? " (1 as a float)" : string.Empty);
                    findings.Add(Error(DiagnosticIds.MomentumOutOfRange, layer.AttributeIndex, "Momentum", name, shown));
                }

                float epsilon = (float)norm.Epsilon;
                if (!(epsilon > 0 && !float.IsInfinity(epsilon)))
                {
                    string shown = Real(norm.Epsilon)
                        + (norm.Epsilon > 0 && epsilon == 0 ? " (0 as a float)" : norm.Epsilon > 0 && float.IsInfinity(epsilon) && !double.IsInfinity(norm.Epsilon) ? " (infinity as a float)" : string.Empty);
                    findings.Add(Error(DiagnosticIds.InvalidEpsilon, layer.AttributeIndex, "Epsilon", name, shown));
                }

                // Bad statistics settings do not change the shape.
                return true;

            default:
                return true; // GlobalAveragePooling2D has no arguments of its own
        }
    }

    /// <summary>
    /// The layer's shapes given its known <paramref name="input"/> (produced by <paramref name="producer"/>: "the input"
    /// or a quoted layer name), or null after reporting why it cannot take that input. A height × width input reaching
    /// a spatial layer is reported once per model (NG0126, on the input shape, <paramref name="channelReported"/>) and
    /// then read as height × width × 1, the fix's shape, so the layers after it are checked as they will be after the fix.
    /// </summary>
    public static InferredShape? Infer(LayerDeclaration layer, string name, IReadOnlyList<long> input, string producer,
        NetworkDeclaration model, ref bool channelReported, List<Finding> findings)
    {
        string kind = layer.Kind.ToString();
        var shape = new List<long>(input);
        if (layer.Kind == LayerKind.BatchNormalization)
        {
            // Over the last axis, whatever the rank: per feature after Dense, per channel after a convolution.
            return new InferredShape([.. shape], [.. shape]);
        }

        if (shape.Count == 2)
        {
            // Only the input can be 2-D: every layer outputs a vector or an image, or passes its input's shape on.
            if (!channelReported)
            {
                channelReported = true;
                string fixedShape = Join(model.InputShape, ", ") + ", 1";
                findings.Add(new Finding(DiagnosticIds.MissingChannelDimension, model.SequentialAttributeIndex, "inputShape", Finding.WholeArgument,
                    new EquatableArray<string>(new[] { Join(model.InputShape, ", "), model.ClassName, kind, name, fixedShape }),
                    new[] { new DiagnosticProperty(DiagnosticProperties.ShapeWithChannel, Join(model.InputShape, ",") + ",1") }.ToEquatableArray()));
            }

            shape.Add(1);
        }

        if (shape.Count != 3)
        {
            string hint = shape.Count == 1
                ? ": it comes after a layer that outputs a vector (Flatten, Dense or GlobalAveragePooling2D), so move it before that layer"
                : string.Empty;
            findings.Add(Error(DiagnosticIds.NeedsImageInput, layer.AttributeIndex, null, kind, name, Join(shape, ", "), hint));
            return null;
        }

        long height = shape[0], width = shape[1], channels = shape[2];
        if (layer.Kind == LayerKind.GlobalAveragePooling2D)
        {
            return new InferredShape([.. shape], [channels]);
        }

        (WindowArguments window, long outputChannels) = layer.Arguments switch
        {
            Conv2DArguments conv => (conv.Window, (long)conv.Filters),
            PoolingArguments pool => (pool.Window, channels),
            _ => (null!, 0L),
        };
        if (window is null)
        {
            return null; // a malformed attribute has no arguments, and the parser marked it so: not reached
        }

        int kh = window.Height, kw = window.Width, sh = window.EffectiveStrideHeight, sw = window.EffectiveStrideWidth;
        string what = layer.Kind == LayerKind.Conv2D ? "kernel" : "pool window";
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

            findings.Add(WholeArgument(DiagnosticIds.WindowLargerThanInput, layer.AttributeIndex, window.SizeArgument,
                kind, name, Num(kh) + "×" + Num(kw), what, producer, Num(height) + "×" + Num(width), string.Join(" and ", over)));
            return null;
        }

        long oh = WindowArithmetic.OutputLength(height, kh, sh, window.Padding);
        long ow = WindowArithmetic.OutputLength(width, kw, sw, window.Padding);

        // A pooling window whose stride is its size tiles the input, and dropping the remainder is the convention (Keras's
        // own MNIST convnet pools 11×11 to 5×5): only a stride the user chose otherwise, or a convolution's, is suspect.
        bool tilesRows = layer.Kind != LayerKind.Conv2D && sh == kh, tilesColumns = layer.Kind != LayerKind.Conv2D && sw == kw;
        long unusedRows = tilesRows ? 0 : WindowArithmetic.UnusedTrailing(height, kh, sh, window.Padding);
        long unusedColumns = tilesColumns ? 0 : WindowArithmetic.UnusedTrailing(width, kw, sw, window.Padding);
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

            string? argument = unusedRows > 0 ? window.StrideHeightArgument : window.StrideWidthArgument;
            findings.Add(new Finding(DiagnosticIds.UnusedInputRows, layer.AttributeIndex, argument, 0, new EquatableArray<string>(new[] {
                kind, name, Num(kh) + "×" + Num(kw), Num(sh) + "×" + Num(sw), Num(height) + "×" + Num(width), producer,
                string.Join(" and ", arithmetic), string.Join(" and ", counts) })));
        }

        return new InferredShape([.. shape], [oh, ow, outputChannels]);
    }

    /// <summary>The layer's trainable and non-trainable parameter counts for its inferred shapes (saturating, never wrapping).</summary>
    public static (long Trainable, long NonTrainable) Parameters(LayerDeclaration layer, InferredShape shape) => layer.Arguments switch
    {
        // Kernel [kh, kw, cin, filters] and bias [filters], as Keras.
        Conv2DArguments conv => (Saturating(Multiply(Multiply(conv.Window.Height, conv.Window.Width), Multiply(shape.Input[2], conv.Filters)), conv.Filters), 0),

        // Gamma and beta per channel are trained; the moving mean and variance are not.
        BatchNormalizationArguments => (Multiply(2, shape.Input[shape.Input.Length - 1]), Multiply(2, shape.Input[shape.Input.Length - 1])),
        _ => (0, 0),
    };

    /// <summary>NG0131 when the layer's output per sample passes <see cref="MaxActivationsPerSample"/>; returns whether it did.</summary>
    public static bool CheckActivations(LayerDeclaration layer, string name, long[] output, List<Finding> findings)
    {
        long size = 1;
        foreach (long d in output)
        {
            size = Multiply(size, d);
        }

        if (size <= MaxActivationsPerSample)
        {
            return false;
        }

        double batchGiB = (double)size * 4 * 32 / (1L << 30);
        findings.Add(Error(DiagnosticIds.TooManyActivations, layer.AttributeIndex, null, layer.Kind.ToString(), name, Join(output, "×"),
            size.ToString("N0", CultureInfo.InvariantCulture), MaxActivationsPerSample.ToString("N0", CultureInfo.InvariantCulture),
            Num(MaxActivationsPerSample * 4 / (1L << 20)), batchGiB.ToString("F1", CultureInfo.InvariantCulture)));
        return true;
    }

    /// <summary>A window's size, strides and padding; returns whether the output can be inferred from them.</summary>
    private static bool CheckWindow(LayerDeclaration layer, string kind, string name, WindowArguments window, List<Finding> findings)
    {
        bool sound = true;
        if (!window.SizeWellFormed)
        {
            findings.Add(WholeArgument(DiagnosticIds.WindowNotPair, layer.AttributeIndex, window.SizeArgument, kind, name, window.SizeArgument, Join(window.Size, ", ")));
            sound = false;
        }
        else if (window.Height <= 0 || window.Width <= 0)
        {
            findings.Add(WholeArgument(DiagnosticIds.NonPositiveWindow, layer.AttributeIndex, window.SizeArgument, kind, name,
                layer.Kind == LayerKind.Conv2D ? "kernel size" : "pool size", Num(window.Height) + "×" + Num(window.Width)));
            sound = false;
        }

        // Only a stride that was written can be wrong; a pooling layer's default (its window) is judged with the window.
        // 'Strides = 0' sets both axes: one finding, on it.
        string? heightArgument = window.StrideHeightArgument, widthArgument = window.StrideWidthArgument;
        bool heightBad = heightArgument is not null && window.EffectiveStrideHeight <= 0;
        bool widthBad = widthArgument is not null && window.EffectiveStrideWidth <= 0;
        if (heightBad)
        {
            findings.Add(Error(DiagnosticIds.NonPositiveStride, layer.AttributeIndex, heightArgument, kind, name, heightArgument!, Num(window.EffectiveStrideHeight)));
        }

        if (widthBad && !(heightBad && widthArgument == heightArgument))
        {
            findings.Add(Error(DiagnosticIds.NonPositiveStride, layer.AttributeIndex, widthArgument, kind, name, widthArgument!, Num(window.EffectiveStrideWidth)));
        }

        sound &= !heightBad && !widthBad && window.EffectiveStrideHeight > 0 && window.EffectiveStrideWidth > 0;
        if (window.Padding is not (PaddingKind.Valid or PaddingKind.Same))
        {
            findings.Add(Error(DiagnosticIds.UnknownPadding, layer.AttributeIndex, "Padding", kind, name, Num((int)window.Padding)));
            sound = false;
        }

        return sound;
    }

    /// <summary>Conv2D's activation, judged as Dense's is (NG0111, NG0112, NG0103, NG0108).</summary>
    private static void CheckActivation(LayerDeclaration layer, string name, List<Finding> findings)
    {
        if (layer.Activation is < ActivationKind.Linear or > ActivationKind.Softmax)
        {
            findings.Add(Error(DiagnosticIds.UnknownActivation, layer.AttributeIndex, "activation", name, Num((int)layer.Activation)));
        }

        if (layer.Activation == ActivationKind.LeakyReLU && (double.IsNaN(layer.Alpha) || double.IsInfinity(layer.Alpha) || float.IsInfinity((float)layer.Alpha)))
        {
            string shown = double.IsNaN(layer.Alpha) ? "NaN" : Real(layer.Alpha) + (double.IsInfinity(layer.Alpha) ? string.Empty : " (infinity as a float)");
            findings.Add(Error(DiagnosticIds.NonFiniteAlpha, layer.AttributeIndex, "Alpha", name, shown));
        }
        else if (layer.Activation == ActivationKind.LeakyReLU && layer.Alpha < 0)
        {
            findings.Add(Error(DiagnosticIds.NegativeAlpha, layer.AttributeIndex, "Alpha", name, Real(layer.Alpha)));
        }
        else if (layer.AlphaDeclared && layer.Activation != ActivationKind.LeakyReLU)
        {
            findings.Add(new Finding(DiagnosticIds.AlphaWithoutLeakyRelu, layer.AttributeIndex, "Alpha", 0, new EquatableArray<string>(new[] { name, layer.Activation.ToString() })));
        }
    }

    private static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static string Join<T>(IEnumerable<T> values, string separator) => string.Join(separator, values);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A finding on a whole size argument (<c>[3, 3]</c>, not its first element).</summary>
    private static Finding WholeArgument(string id, int attributeIndex, string argument, params string[] args) => new(id, attributeIndex, argument, Finding.WholeArgument, new EquatableArray<string>(args));

    private static Finding Error(string id, int attributeIndex, string? argument, params string[] args) => new(id, attributeIndex, argument, 0, new EquatableArray<string>(args));
}
