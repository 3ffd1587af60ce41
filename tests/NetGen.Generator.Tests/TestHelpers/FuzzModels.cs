using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text;

namespace NetGen.Generator.Tests.TestHelpers;

/// <summary>The layer kinds the fuzzer writes.</summary>
internal enum FuzzLayerKind
{
    Dense,
    Dropout,
    Flatten,
    Normalization,
    Conv2D,
    MaxPooling2D,
    AveragePooling2D,
    GlobalAveragePooling2D,
    BatchNormalization,
}

/// <summary>
/// How a fuzzed declaration is broken as C#. <see cref="Unbound"/>: a NetGen attribute the compiler cannot bind (its
/// <c>AttributeData</c> carries an error), so nothing may be generated. <see cref="Recovered"/>: the compiler reports
/// an error but still binds the attribute to values (a duplicate or unknown named argument, a misplaced one, a
/// duplicate [Sequential]...). <see cref="Unrelated"/>: an error elsewhere in the file; the model itself is judged
/// as usual.
/// </summary>
internal enum FuzzCompilerError
{
    None,
    Unbound,
    Recovered,
    Unrelated,
}

/// <summary>One layer attribute, as values (what the compiler will bind), before it is written as text.</summary>
internal sealed class FuzzLayer
{
    public FuzzLayerKind Kind { get; init; }

    public int Units { get; set; } = 1;

    /// <summary>The activation's underlying value; 0..5 are defined.</summary>
    public int Activation { get; set; }

    public double Rate { get; set; }

    /// <summary>Null when <c>Alpha</c> is not written.</summary>
    public double? Alpha { get; set; }

    /// <summary>Null when <c>InputSize</c> is not written.</summary>
    public int? InputSize { get; set; }

    /// <summary>Null when <c>KernelL2</c> is not written.</summary>
    public double? KernelL2 { get; set; }

    /// <summary>The layer's name as bound; null when unnamed (not written, or written as null).</summary>
    public string? Name { get; set; }

    public bool NameWritten { get; set; }

    /// <summary>Which partial declaration (in source order) the attribute is written on.</summary>
    public int Part { get; set; }

    /// <summary>Conv2D's filter count.</summary>
    public int Filters { get; set; } = 1;

    /// <summary>Conv2D's kernel size or a pooling layer's pool size as bound: one element for the int form; null when not written (a pooling layer's default, 2).</summary>
    public int[]? Window { get; set; }

    /// <summary>Whether <see cref="Window"/> is written as an array (then it must have two elements).</summary>
    public bool WindowIsArray { get; set; }

    /// <summary>Null when not written.</summary>
    public int? Strides { get; set; }

    public int? StrideHeight { get; set; }

    public int? StrideWidth { get; set; }

    /// <summary>The padding's underlying value (0 valid, 1 same); null when not written.</summary>
    public int? Padding { get; set; }

    /// <summary>BatchNormalization's momentum and epsilon; null when not written (0.99 and 0.001).</summary>
    public double? Momentum { get; set; }

    public double? Epsilon { get; set; }
}

/// <summary>A type the model is nested in.</summary>
internal sealed record FuzzOuter(string Keyword, string Name, bool Partial, bool Generic);

/// <summary>One fuzzed model declaration: the values the fuzzer chose, and its source file.</summary>
internal sealed class FuzzModel
{
    public required int Id { get; init; }

    public string Path => "Model" + Id.ToString(CultureInfo.InvariantCulture) + ".cs";

    /// <summary>The class's name as the compiler sees it (<c>class</c> for <c>@class</c>).</summary>
    public string ClassName { get; set; } = "Net";

    /// <summary>The class's name as written.</summary>
    public string ClassToken { get; set; } = "Net";

    /// <summary>Namespace parts: (as written, the symbol's name). Empty: the global namespace.</summary>
    public List<(string Token, string Name)> Namespace { get; } = [];

    public List<FuzzOuter> Outers { get; } = [];

    public bool Partial { get; set; } = true;

    public bool Generic { get; set; }

    public bool Static { get; set; }

    public bool Abstract { get; set; }

    public bool Sealed { get; set; }

    public bool Record { get; set; }

    public bool FileLocal { get; set; }

    /// <summary>The base list as written (without the colon), or null.</summary>
    public string? BaseList { get; set; }

    /// <summary>Whether <see cref="BaseList"/> names NetGen.Network (an invalid model then cascades into CS0534 and CS7036).</summary>
    public bool BaseNamesNetwork { get; set; }

    /// <summary>Whether <see cref="BaseList"/> names a base class other than NetGen.Network.</summary>
    public bool HasBaseClass { get; set; }

    public bool HasSequential { get; set; } = true;

    /// <summary>Which partial declaration (in source order) [Sequential] is written on.</summary>
    public int SequentialPart { get; set; }

    /// <summary>The input shape as bound; empty when none is given.</summary>
    public int[] InputShape { get; set; } = [];

    public int Loss { get; set; }

    /// <summary>Whether the input shape is written as a null array (which C# warns about, as CS8625).</summary>
    public bool NullInputShape { get; set; }

    public bool LossDeclared { get; set; }

    /// <summary>A convolutional model: an image input and spatial layers (see FuzzSourceGenerator.ChooseImageLayers).</summary>
    public bool Image { get; set; }

    public List<FuzzLayer> Layers { get; } = [];

    public FuzzCompilerError CompilerError { get; set; }

    /// <summary>What was broken, for the statistics and failure messages.</summary>
    public string? CompilerErrorLabel { get; set; }

    public string Source { get; set; } = string.Empty;

    /// <summary>The full name with no '@' (Models.event.Net): the stem of the generated files' hint names.</summary>
    public string FullName
    {
        get
        {
            var parts = new List<string>();
            parts.AddRange(Namespace.Select(n => n.Name));
            parts.AddRange(Outers.Select(o => o.Name));
            parts.Add(ClassName);
            return string.Join(".", parts);
        }
    }
}

/// <summary>What the reference validator expects of a model.</summary>
internal enum FuzzVerdict
{
    /// <summary>No NG error: three generated files and a clean compilation.</summary>
    Valid,

    /// <summary>At least one NG error and nothing generated.</summary>
    Invalid,

    /// <summary>Not valid C#: at least one CS error (and nothing generated if the attribute does not bind).</summary>
    CompilerError,

    /// <summary>No NetGen attribute at all (only look-alikes): nothing reported, nothing generated.</summary>
    NotAModel,
}

/// <summary>The reference validator's judgement: the verdict and every NG id (errors and warnings) it expects.</summary>
internal sealed record FuzzExpectation(FuzzVerdict Verdict, SortedSet<string> Ids, IReadOnlyList<string> Reasons, bool LowercaseNameWarning);

/// <summary>
/// An independent reference validator, written from docs/diagnostics.md rather than from NetworkValidator: it judges
/// a <see cref="FuzzModel"/>'s values and predicts the set of NG ids the analyzer must report. Every independent
/// mistake is reported, none twice: where a check needs a layer's input size (NG0105–NG0107) it is made only while
/// that size is known; a size becomes unknowable after a non-positive Dense size or a bad input shape, and known again
/// after any Dense layer of positive units (its output is its units). The loss rules need only the output layer.
/// Layers on more than one partial declaration (NG0017) have no order, so then no shape or output rule applies.
/// </summary>
internal static class FuzzOracle
{
    public const long MaxParameters = 1L << 28;

    /// <summary>The most values one layer may output per sample (docs/diagnostics.md NG0131).</summary>
    public const long MaxActivationsPerSample = 1L << 24;

    /// <summary>Members NetGen declares in every model (docs/diagnostics.md NG0013, plus the private and overriding ones).</summary>
    public static readonly string[] FixedMembers =
    [
        "InputSize", "OutputSize", "ParameterCount", "Summary",
        "InitializeParameters", "EnsureCapacity", "ForwardCore", "BackwardCore", "ComputeLossCore",
        "s_info", "_capacity", "_gradientPing", "_gradientPong",
    ];

    public static FuzzExpectation Expect(FuzzModel m)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        var reasons = new List<string>();
        bool lowercase = m.ClassName.Length > 0 && m.ClassName.All(c => c is >= 'a' and <= 'z');
        void Add(string id, string why)
        {
            ids.Add(id);
            reasons.Add(id + ": " + why);
        }

        if (m.CompilerError is FuzzCompilerError.Unbound or FuzzCompilerError.Recovered)
        {
            reasons.Add("not valid C#: " + m.CompilerErrorLabel);
            return new FuzzExpectation(FuzzVerdict.CompilerError, ids, reasons, lowercase);
        }

        if (!m.HasSequential)
        {
            if (m.Layers.Count == 0)
            {
                return new FuzzExpectation(FuzzVerdict.NotAModel, ids, reasons, lowercase);
            }

            Add("NG0008", "layers without [Sequential]");
            return new FuzzExpectation(FuzzVerdict.Invalid, ids, reasons, lowercase);
        }

        // The declaration.
        if (!m.Partial)
        {
            Add("NG0001", "not partial");
        }

        if (m.Outers.Any(o => !o.Partial))
        {
            Add("NG0002", "a containing type is not partial");
        }

        if (m.Generic || m.Outers.Any(o => o.Generic))
        {
            Add("NG0003", "generic (or nested in a generic type)");
        }

        if (m.Static)
        {
            Add("NG0009", "static");
        }

        if (m.Record)
        {
            Add("NG0011", "a record");
        }

        if (m.FileLocal)
        {
            Add("NG0012", "file-local");
        }

        if (m.HasBaseClass)
        {
            Add("NG0007", "base class " + m.BaseList);
        }

        if (FixedMembers.Contains(m.ClassName, StringComparer.Ordinal))
        {
            Add("NG0013", "class named like the generated member " + m.ClassName);
        }

        if (m.Layers.Count == 0)
        {
            Add("NG0004", "no layers");
        }

        if (!IsDefined(m.Loss, 4))
        {
            Add("NG0206", "undefined loss " + m.Loss.ToString(CultureInfo.InvariantCulture));
        }

        // Layers on another declaration than the one owning them: [Sequential]'s, if it has layers, else the first layer's.
        int owner = m.Layers.Any(l => l.Part == m.SequentialPart) ? m.SequentialPart : m.Layers.Count > 0 ? m.Layers[0].Part : 0;
        bool ordered = true;
        foreach (FuzzLayer layer in m.Layers.Where(l => l.Part != owner))
        {
            Add("NG0017", "a layer on declaration #" + layer.Part.ToString(CultureInfo.InvariantCulture) + ", not #" + owner.ToString(CultureInfo.InvariantCulture));
            ordered = false;
        }

        bool shapeKnown = ordered;
        if (m.InputShape.Length == 0)
        {
            Add("NG0005", "no input shape");
            shapeKnown = false;
        }

        if (m.InputShape.Any(d => d <= 0))
        {
            Add("NG0104", "input shape [" + string.Join(", ", m.InputShape) + "]");
            shapeKnown = false;
        }

        // Names: Keras's defaults for unnamed layers, then validity and uniqueness of the PascalCase identifiers.
        string[] names = DefaultNames(m.Layers);
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < m.Layers.Count; i++)
        {
            FuzzLayer layer = m.Layers[i];
            if (layer.Name is not null && !IsValidName(layer.Name))
            {
                Add("NG0010", "invalid name '" + layer.Name + "'");
                continue;
            }

            string identifier = Pascal(names[i]);
            if (MembersOf(layer, identifier).Contains(m.ClassName, StringComparer.Ordinal))
            {
                Add("NG0013", "class named like a member of layer '" + names[i] + "'");
            }

            if (!identifiers.Add(identifier))
            {
                Add("NG0006", "duplicate name '" + names[i] + "' (" + identifier + ")");
            }
        }

        // Each layer's own parameters, then shapes while they are known.
        var shape = m.InputShape.Select(d => (BigInteger)d).ToList();
        BigInteger parameters = 0;
        bool channelReported = false; // NG0126 once, at the first spatial layer to meet the 2-D input
        bool counting = shapeKnown; // the count is exact: every kernel so far had a known input size
        for (int i = 0; i < m.Layers.Count; i++)
        {
            FuzzLayer layer = m.Layers[i];
            string name = names[i];
            switch (layer.Kind)
            {
                case FuzzLayerKind.Dense:
                    if (layer.Units <= 0)
                    {
                        Add("NG0101", "'" + name + "' has " + layer.Units.ToString(CultureInfo.InvariantCulture) + " units");
                    }

                    if (!IsDefined(layer.Activation, 5))
                    {
                        Add("NG0111", "'" + name + "' has undefined activation " + layer.Activation.ToString(CultureInfo.InvariantCulture));
                    }

                    // Alpha runs as a float, where 1e39 is infinite.
                    if (layer.Activation == 4 && layer.Alpha is double alpha && !float.IsFinite((float)alpha))
                    {
                        Add("NG0112", "'" + name + "' LeakyReLU alpha " + alpha.ToString("R", CultureInfo.InvariantCulture) + " is not finite (as a float)");
                    }
                    else if (layer.Activation == 4 && layer.Alpha is double negative && negative < 0)
                    {
                        Add("NG0103", "'" + name + "' LeakyReLU alpha " + negative.ToString("R", CultureInfo.InvariantCulture));
                    }
                    else if (layer.Alpha is not null && layer.Activation != 4)
                    {
                        Add("NG0108", "'" + name + "' sets Alpha without LeakyReLU");
                    }

                    // The factor is used as a float: a number >= 0 below 2¹²⁸ − 2¹⁰³, where rounding to float gives infinity.
                    if (layer.KernelL2 is double l2 && !(l2 >= 0 && l2 < 3.4028235677973366E+38))
                    {
                        Add("NG0113", "'" + name + "' KernelL2 " + l2.ToString("R", CultureInfo.InvariantCulture));
                    }

                    if (layer.Units <= 0 || !ordered)
                    {
                        shapeKnown = counting = false;
                        break;
                    }

                    if (shapeKnown && shape.Count != 1)
                    {
                        Add("NG0106", "'" + name + "' gets a " + shape.Count.ToString(CultureInfo.InvariantCulture) + "-D input");
                        counting = false;
                    }
                    else if (shapeKnown)
                    {
                        if (layer.InputSize is int declared && declared != 0 && declared != shape[0])
                        {
                            Add("NG0107", "'" + name + "' declares InputSize " + declared.ToString(CultureInfo.InvariantCulture) + " but gets " + shape[0].ToString(CultureInfo.InvariantCulture));
                        }

                        parameters += (shape[0] * layer.Units) + layer.Units;
                        if (counting && parameters > MaxParameters)
                        {
                            Add("NG0105", "parameters reach " + parameters.ToString(CultureInfo.InvariantCulture) + " at '" + name + "'");
                            counting = false;
                        }
                    }
                    else
                    {
                        counting = false;
                    }

                    shape = [layer.Units];
                    shapeKnown = true;
                    break;

                case FuzzLayerKind.Dropout:
                    // As a float, since that is what runs: 1 - 1e-10 is 1.
                    if (!(layer.Rate >= 0 && (float)layer.Rate < 1f))
                    {
                        Add("NG0102", "'" + name + "' rate " + layer.Rate.ToString("R", CultureInfo.InvariantCulture));
                    }

                    break;

                case FuzzLayerKind.Conv2D or FuzzLayerKind.MaxPooling2D or FuzzLayerKind.AveragePooling2D
                    or FuzzLayerKind.GlobalAveragePooling2D or FuzzLayerKind.BatchNormalization:
                    bool sound = SpatialArguments(layer, name, Add);
                    if (!sound || !ordered || !shapeKnown)
                    {
                        shapeKnown = counting = false;
                        break;
                    }

                    if (Spatial(m, layer, name, i == 0 ? "the input" : "'" + names[i - 1] + "'", shape, ref channelReported, Add) is not { } spatial)
                    {
                        shapeKnown = counting = false;
                        break;
                    }

                    parameters += spatial.Parameters;
                    if (counting && parameters > MaxParameters)
                    {
                        Add("NG0105", "parameters reach " + parameters.ToString(CultureInfo.InvariantCulture) + " at '" + name + "'");
                        counting = false;
                    }

                    BigInteger values = spatial.Output.Aggregate(BigInteger.One, (p, d) => p * d);
                    if (values > MaxActivationsPerSample)
                    {
                        Add("NG0131", "'" + name + "' outputs " + values.ToString(CultureInfo.InvariantCulture) + " values per sample");
                        counting = false;
                    }

                    shape = spatial.Output;
                    break;

                case FuzzLayerKind.Normalization:
                    // Adapt measures the raw features: before every trainable layer (Dense, Conv2D, BatchNormalization), and once.
                    if (m.Layers.Take(i).Any(l => l.Kind is FuzzLayerKind.Dense or FuzzLayerKind.Conv2D or FuzzLayerKind.BatchNormalization))
                    {
                        Add("NG0109", "'" + name + "' comes after a Dense layer");
                    }
                    else if (m.Layers.Take(i).Any(l => l.Kind == FuzzLayerKind.Normalization))
                    {
                        Add("NG0110", "'" + name + "' repeats an earlier Normalization");
                    }

                    if (shapeKnown && shape.Count != 1)
                    {
                        Add("NG0106", "'" + name + "' gets a " + shape.Count.ToString(CultureInfo.InvariantCulture) + "-D input");
                        shapeKnown = counting = false;
                    }
                    else if (shapeKnown)
                    {
                        // Mean and variance per feature, and the sample count: non-trainable, but parameters all the same.
                        parameters += (2 * shape[0]) + 1;
                        if (counting && parameters > MaxParameters)
                        {
                            Add("NG0105", "parameters reach " + parameters.ToString(CultureInfo.InvariantCulture) + " at '" + name + "'");
                            counting = false;
                        }
                    }

                    break;

                case FuzzLayerKind.Flatten:
                    if (shapeKnown)
                    {
                        BigInteger size = 1;
                        foreach (BigInteger d in shape)
                        {
                            size *= d;
                        }

                        shape = [size];
                    }

                    break;
            }
        }

        // The output layer against the loss: its kind, units and activation are enough.
        if (ordered && m.Layers.Count > 0 && !(m.Layers[^1].Kind == FuzzLayerKind.Dense && m.Layers[^1].Units <= 0))
        {
            FuzzLayer output = m.Layers[^1];
            if (output.Kind != FuzzLayerKind.Dense)
            {
                Add("NG0205", "ends with a " + output.Kind + " layer");
            }
            else
            {
                const int softmax = 5;
                switch (m.Loss)
                {
                    case 4 when output.Units == 1:
                        Add("NG0201", "sparse categorical cross-entropy over one unit");
                        break;
                    case 3 when output.Units == 1:
                        Add("NG0204", "categorical cross-entropy over one unit");
                        break;
                    case 0 or 1 or 2 when output.Activation == softmax && output.Units == 1:
                        Add("NG0207", "a softmax over one unit, with a loss that does not catch it");
                        break;
                    case 2 when output.Activation == softmax && output.Units > 1:
                        Add("NG0202", "binary cross-entropy over a softmax of several units");
                        break;
                    case 0 or 1 when output.Activation == softmax:
                        Add("NG0203", "softmax output with a regression loss");
                        break;
                    // A sigmoid output is rescaled to sum to 1, as Keras does: allowed.
                    case 3 or 4 when output.Activation is 0 or 2 or 3 or 4:
                        Add("NG0208", "categorical cross-entropy over a non-softmax output (activation " + output.Activation.ToString(CultureInfo.InvariantCulture) + ")");
                        break;
                    case 2 when output.Activation is 0 or 2 or 3 or 4:
                        Add("NG0209", "binary cross-entropy over a non-sigmoid output (activation " + output.Activation.ToString(CultureInfo.InvariantCulture) + ")");
                        break;
                }
            }
        }

        bool error = ids.Any(id => id is not "NG0108" and not "NG0203" and not "NG0127");
        return new FuzzExpectation(error ? FuzzVerdict.Invalid : FuzzVerdict.Valid, ids, reasons, lowercase);
    }

    /// <summary>
    /// The argument checks of Conv2D, the poolings and BatchNormalization (docs/diagnostics.md NG0120–NG0123,
    /// NG0128–NG0130, and Dense's activation checks for Conv2D). Returns whether the output shape can be inferred.
    /// </summary>
    private static bool SpatialArguments(FuzzLayer layer, string name, Action<string, string> add)
    {
        if (layer.Kind == FuzzLayerKind.BatchNormalization)
        {
            double momentum = layer.Momentum ?? 0.99, epsilon = layer.Epsilon ?? 0.001;
            if (!(momentum >= 0 && (float)momentum < 1f))
            {
                add("NG0128", "'" + name + "' momentum " + momentum.ToString("R", CultureInfo.InvariantCulture));
            }

            if (!((float)epsilon > 0 && float.IsFinite((float)epsilon)))
            {
                add("NG0129", "'" + name + "' epsilon " + epsilon.ToString("R", CultureInfo.InvariantCulture) + " (as a float " + ((float)epsilon).ToString("R", CultureInfo.InvariantCulture) + ")");
            }

            return true;
        }

        if (layer.Kind == FuzzLayerKind.GlobalAveragePooling2D)
        {
            return true;
        }

        bool sound = true;
        if (layer.Kind == FuzzLayerKind.Conv2D)
        {
            if (layer.Filters <= 0)
            {
                add("NG0120", "'" + name + "' has " + layer.Filters.ToString(CultureInfo.InvariantCulture) + " filters");
                sound = false;
            }

            if (!IsDefined(layer.Activation, 5))
            {
                add("NG0111", "'" + name + "' has undefined activation " + layer.Activation.ToString(CultureInfo.InvariantCulture));
            }

            if (layer.Activation == 4 && layer.Alpha is double alpha && !float.IsFinite((float)alpha))
            {
                add("NG0112", "'" + name + "' LeakyReLU alpha is not finite (as a float)");
            }
            else if (layer.Activation == 4 && layer.Alpha is double negative && negative < 0)
            {
                add("NG0103", "'" + name + "' LeakyReLU alpha " + negative.ToString("R", CultureInfo.InvariantCulture));
            }
            else if (layer.Alpha is not null && layer.Activation != 4)
            {
                add("NG0108", "'" + name + "' sets Alpha without LeakyReLU");
            }
        }

        int[] window = layer.Window ?? [2];
        if (layer.WindowIsArray && window.Length != 2)
        {
            add("NG0122", "'" + name + "' has a window of " + window.Length.ToString(CultureInfo.InvariantCulture) + " numbers");
            sound = false;
        }
        else if (window.Any(k => k <= 0))
        {
            add("NG0121", "'" + name + "' has window [" + string.Join(", ", window) + "]");
            sound = false;
        }

        // Only a written stride is judged; 'Strides' covers both axes, with one finding.
        bool heightBad = (layer.StrideHeight ?? layer.Strides) is int sh && sh <= 0;
        bool widthBad = (layer.StrideWidth ?? layer.Strides) is int sw && sw <= 0;
        if (heightBad || widthBad)
        {
            add("NG0123", "'" + name + "' has a stride <= 0");
            sound = false;
        }

        if (layer.Padding is int padding && !IsDefined(padding, 1))
        {
            add("NG0130", "'" + name + "' has padding " + padding.ToString(CultureInfo.InvariantCulture));
            sound = false;
        }

        return sound;
    }

    /// <summary>
    /// The shape checks of a spatial layer with a known input (docs/diagnostics.md NG0124–NG0127), by this oracle's own
    /// arithmetic: valid output ⌊(n − k) / s⌋ + 1 (empty when k &gt; n), same output ⌈n / s⌉; trailing rows (n − k) mod s
    /// unread by a convolution, or by a pooling layer whose stride differs from its window. Null when the shape is refused.
    /// </summary>
    private static (List<BigInteger> Output, BigInteger Parameters)? Spatial(FuzzModel m, FuzzLayer layer, string name, string producer,
        List<BigInteger> input, ref bool channelReported, Action<string, string> add)
    {
        if (layer.Kind == FuzzLayerKind.BatchNormalization)
        {
            return (input, 4 * input[^1]);
        }

        var shape = new List<BigInteger>(input);
        if (shape.Count == 2)
        {
            if (!channelReported)
            {
                add("NG0126", "a " + string.Join("×", m.InputShape) + " input reaches '" + name + "'");
                channelReported = true;
            }

            shape.Add(1);
        }

        if (shape.Count != 3)
        {
            add("NG0125", "'" + name + "' receives a rank-" + shape.Count.ToString(CultureInfo.InvariantCulture) + " shape");
            return null;
        }

        if (layer.Kind == FuzzLayerKind.GlobalAveragePooling2D)
        {
            return ([shape[2]], 0);
        }

        int[] window = layer.Window ?? [2];
        int kh = window[0], kw = window.Length > 1 ? window[1] : window[0];
        bool pooling = layer.Kind != FuzzLayerKind.Conv2D;
        int sh = layer.StrideHeight ?? layer.Strides ?? (pooling ? kh : 1);
        int sw = layer.StrideWidth ?? layer.Strides ?? (pooling ? kw : 1);
        bool same = layer.Padding == 1;
        if (!same && (kh > shape[0] || kw > shape[1]))
        {
            add("NG0124", "'" + name + "' has a " + kh + "×" + kw + " window over " + shape[0] + "×" + shape[1] + " from " + producer);
            return null;
        }

        BigInteger oh = same ? (shape[0] + sh - 1) / sh : ((shape[0] - kh) / sh) + 1;
        BigInteger ow = same ? (shape[1] + sw - 1) / sw : ((shape[1] - kw) / sw) + 1;
        if (!same && ((!(pooling && sh == kh) && (shape[0] - kh) % sh != 0) || (!(pooling && sw == kw) && (shape[1] - kw) % sw != 0)))
        {
            add("NG0127", "'" + name + "' leaves trailing rows or columns unread");
        }

        BigInteger channels = pooling ? shape[2] : layer.Filters;
        BigInteger parameters = pooling ? 0 : (kh * (BigInteger)kw * shape[2] * layer.Filters) + layer.Filters;
        return ([oh, ow, channels], parameters);
    }

    /// <summary>Keras's default names: only unnamed layers count, per kind: dense, dense_1, …; dropout, …; flatten, ….</summary>
    public static string[] DefaultNames(IReadOnlyList<FuzzLayer> layers)
    {
        var next = new Dictionary<FuzzLayerKind, int>();
        var names = new string[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Name is { } name)
            {
                names[i] = name;
                continue;
            }

            int n = next.GetValueOrDefault(layers[i].Kind);
            next[layers[i].Kind] = n + 1;
            string stem = layers[i].Kind switch
            {
                FuzzLayerKind.Dense => "dense",
                FuzzLayerKind.Dropout => "dropout",
                FuzzLayerKind.Normalization => "normalization",
                FuzzLayerKind.Conv2D => "conv2d",
                FuzzLayerKind.MaxPooling2D => "max_pooling2d",
                FuzzLayerKind.AveragePooling2D => "average_pooling2d",
                FuzzLayerKind.GlobalAveragePooling2D => "global_average_pooling2d",
                FuzzLayerKind.BatchNormalization => "batch_normalization",
                _ => "flatten",
            };
            names[i] = n == 0 ? stem : stem + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    /// <summary>Letters, digits and '_', starting with a letter, all ASCII.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => c == '_' || char.IsAsciiLetterOrDigit(c));

    /// <summary>"hidden_1" → "Hidden1": each '_'-separated part capitalized, underscores dropped.</summary>
    public static string Pascal(string name) =>
        string.Concat(name.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>The members NetGen generates for a layer: views for a Dense or Normalization layer, and the buffers each kind keeps.</summary>
    public static IEnumerable<string> MembersOf(FuzzLayer layer, string identifier)
    {
        string field = "_" + char.ToLowerInvariant(identifier[0]) + identifier[1..];
        switch (layer.Kind)
        {
            case FuzzLayerKind.Dense:
                yield return identifier + "Kernel";
                yield return identifier + "Bias";
                yield return identifier + "KernelGradient";
                yield return identifier + "BiasGradient";
                yield return field + "Z";
                if (layer.Activation != 0)
                {
                    yield return field + "A";
                }

                break;
            case FuzzLayerKind.Dropout when layer.Rate > 0:
                yield return field + "Output";
                yield return field + "Mask";
                break;
            case FuzzLayerKind.Normalization:
                yield return identifier + "Mean";
                yield return identifier + "Variance";
                yield return identifier + "Count";
                yield return field + "Output";
                break;
            case FuzzLayerKind.Conv2D:
                yield return identifier + "Kernel";
                yield return identifier + "Bias";
                yield return identifier + "KernelGradient";
                yield return identifier + "BiasGradient";
                yield return field + "Z";
                if (layer.Activation != 0)
                {
                    yield return field + "A";
                }

                break;
            case FuzzLayerKind.MaxPooling2D:
                yield return field + "Output";
                yield return field + "Argmax";
                break;
            case FuzzLayerKind.AveragePooling2D or FuzzLayerKind.GlobalAveragePooling2D:
                yield return field + "Output";
                break;
            case FuzzLayerKind.BatchNormalization:
                yield return identifier + "Gamma";
                yield return identifier + "Beta";
                yield return identifier + "MovingMean";
                yield return identifier + "MovingVariance";
                yield return identifier + "GammaGradient";
                yield return identifier + "BetaGradient";
                yield return field + "Output";
                yield return field + "Mean";
                yield return field + "InverseStd";
                break;
        }
    }

    /// <summary>
    /// Whether a refused model gets a stub of its members (docs/diagnostics.md, under the tables): when a partial part
    /// can be written beside it, so not for a class that is not partial (or nested in a type that is not), generic,
    /// static, a record, file-local, derived from another class or named like a member of NetGen.Network it overrides.
    /// </summary>
    public static bool Stubbable(FuzzModel m) =>
        m.HasSequential && m.Partial && !m.Generic && !m.Static && !m.Record && !m.FileLocal && !m.HasBaseClass && m.Outers.All(o => o.Partial && !o.Generic)
        && m.ClassName is not ("InitializeParameters" or "ForwardCore" or "BackwardCore" or "ComputeLossCore"); // could not override them

    private static bool IsDefined(int value, int max) => value >= 0 && value <= max;
}

/// <summary>
/// Writes random, often malformed, model declarations: values first (<see cref="FuzzModel"/>), then C# text with
/// random spellings of the same values (positional or named arguments, params or collection or array creation for
/// the input shape, attribute aliases, split attribute lists and partial declarations, look-alike attributes), and,
/// for some models, one deliberate C# error. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class FuzzSourceGenerator(Random random)
{
    private static readonly string[] ActivationNames = ["Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax"];
    private static readonly string[] LossNames = ["MeanSquaredError", "MeanAbsoluteError", "BinaryCrossEntropy", "CategoricalCrossEntropy", "SparseCategoricalCrossEntropy"];

    private static readonly string[] ValidNames =
    [
        "hidden", "output", "h1", "Layer_2", "a", "x", "z", "gradient", "gradient_ping", "capacity", "dense", "dense_1",
        "dense_2", "dense1", "Dense_1", "dropout", "dropout_1", "flatten", "flatten_1", "class", "int", "input", "inputs",
        "loss", "mask", "kernel", "bias", "HIDDEN", "hIdden", "s_info", "encoder_block_3", "Q", "a__b", "trailing_",
        "next_hidden", "hidden_a", "hidden_z",
    ];

    private static readonly string[] NameTokens =
        ["next", "hidden", "a", "z", "x", "output", "mask", "kernel", "bias", "gradient", "ping", "dense", "1", "2", "loss", "in", "Out"];

    private static readonly string[] InvalidNames =
        ["", " ", "9lives", "_hidden", "hidden layer", "a-b", "é", "naïve", "a.b", "\t", "日本", "a\"b", "a\\b", "\0", "hidden\n", "ä1", "x y"];

    private static readonly (string Token, string Name)[] PlainClassNames =
    [
        ("Net", "Net"), ("Model", "Model"), ("Mlp", "Mlp"), ("Classifier", "Classifier"), ("XorNet", "XorNet"),
        ("Réseau", "Réseau"), ("Сеть", "Сеть"), ("NetV2", "NetV2"), ("My_Net", "My_Net"), ("_Private", "_Private"),
        ("N\\u0065t", "Net"), ("@Model", "Model"), ("Network", "Network"), ("Predict", "Predict"), ("Info", "Info"),
        ("Parameters", "Parameters"), ("Fit", "Fit"), ("Optimizer", "Optimizer"), ("HiddenKernels", "HiddenKernels"),
    ];

    private static readonly (string Token, string Name)[] KeywordClassNames = [("@class", "class"), ("@event", "event"), ("@int", "int")];

    private static readonly (string Token, string Name)[] NamespaceParts =
        [("Models", "Models"), ("Deep", "Deep"), ("@event", "event"), ("@class", "class"), ("Ünï", "Ünï"), ("V2", "V2"), ("Nets", "Nets")];

    private static readonly string[] OuterKeywords =
        ["class", "class", "sealed class", "static class", "abstract class", "struct", "readonly struct", "record", "record struct", "interface"];

    private readonly Random _random = random;
    private readonly List<string> _attributes = [];

    public FuzzModel Next(int id)
    {
        var m = new FuzzModel { Id = id };
        ChooseDeclaration(m);
        ChooseShapeAndLoss(m);
        ChooseLayers(m);
        ChooseClassName(m);
        Corrupt(m, out Corruption corruption);
        m.Source = Write(m, corruption);
        return m;
    }

    // ---- Values ----

    private void ChooseDeclaration(FuzzModel m)
    {
        string uid = m.Id.ToString(CultureInfo.InvariantCulture);
        if (P(0.7))
        {
            m.Namespace.Add(("Fz" + uid, "Fz" + uid));
            for (int i = _random.Next(3) - 1; i > 0; i--)
            {
                m.Namespace.Add(Pick(NamespaceParts));
            }
        }

        int depth = Weighted(0.62, 0.25, 0.09, 0.04);
        for (int j = 0; j < depth; j++)
        {
            m.Outers.Add(new FuzzOuter(Pick(OuterKeywords), "Outer" + uid + "_" + j.ToString(CultureInfo.InvariantCulture), !P(0.04), P(0.03)));
        }

        m.Partial = !P(0.03);
        m.Generic = P(0.025);
        m.FileLocal = m.Outers.Count == 0 && P(0.025);
        switch (_random.Next(100))
        {
            case < 3:
                m.Static = true;
                break;
            case < 7:
                m.Abstract = true;
                break;
            case < 25:
                m.Sealed = true;
                break;
        }

        m.Record = !m.Static && P(0.025);
        if (m.Static || m.Record)
        {
            // A static class takes no base list, a record no class base.
            return;
        }

        switch (_random.Next(100))
        {
            case < 3:
                m.BaseList = "FuzzBase";
                m.HasBaseClass = true;
                break;
            case < 4:
                m.BaseList = "FuzzBase, IFuzzMarker";
                m.HasBaseClass = true;
                break;
            case < 11:
                m.BaseList = Pick(["Network", "global::NetGen.Network", "NG.Network"]);
                m.BaseNamesNetwork = true;
                break;
            case < 14:
                m.BaseList = "IFuzzMarker";
                break;
            case < 16:
                m.BaseList = Pick(["Network, IFuzzMarker", "NG.Network, IFuzzMarker"]);
                m.BaseNamesNetwork = true;

                break;
            case < 17:
                // An explicit object base is still a base class the generated ': global::NetGen.Network' would contradict.
                m.BaseList = Pick(["object", "System.Object"]);
                m.HasBaseClass = true;
                break;
        }
    }

    private void ChooseShapeAndLoss(FuzzModel m)
    {
        m.HasSequential = !P(0.03);
        m.Image = P(0.2);
        if (m.Image)
        {
            // Small images, so that the convolutions' arithmetic (and its mistakes) is exercised at every size.
            int side = P(0.07) ? Pick([1, 0, -3, 2048, 4096, 4096]) : 3 + _random.Next(10); // 4096² with 2 filters passes NG0131's limit
            m.InputShape = P(0.12) ? [side, side] : [side, P(0.7) ? side : 3 + _random.Next(10), P(0.6) ? 1 : 1 + _random.Next(3)];
        }
        else if (!P(0.03))
        {
            int rank = Weighted(0, 0.62, 0.25, 0.13);
            m.InputShape = [.. Enumerable.Range(0, rank).Select(_ => Dimension(rank))];
        }

        m.LossDeclared = P(0.7);
        m.Loss = !m.LossDeclared ? 0 : P(0.03) ? Pick([5, 7, -1, 100]) : _random.Next(5);
    }

    private int Dimension(int rank) => _random.Next(100) switch
    {
        < 2 => Pick([0, -1, -28, int.MinValue]),
        < 4 => Pick([100_000, 65_536, 1 << 20, int.MaxValue, 1000]),
        < 15 => rank > 1 ? 28 : 784,
        _ => 1 + _random.Next(rank > 1 ? 8 : 16),
    };

    private void ChooseLayers(FuzzModel m)
    {
        if (m.Image)
        {
            ChooseImageLayers(m);
            return;
        }

        int count = P(0.025) ? 0 : 1 + _random.Next(P(0.2) ? 7 : 4);
        bool flattenFirst = m.InputShape.Length > 1 && count > 1 && P(0.85);
        long? size = m.InputShape.Length == 1 ? m.InputShape[0] : null; // the incoming size, when it is 1-D and simple
        bool nameHunt = P(0.1); // every layer named, mostly after earlier layers: hunting clashes between generated names
        for (int i = 0; i < count; i++)
        {
            bool last = i == count - 1;
            FuzzLayerKind kind = i == 0 && flattenFirst ? FuzzLayerKind.Flatten
                : last ? (P(0.96) ? FuzzLayerKind.Dense : Pick([FuzzLayerKind.Dropout, FuzzLayerKind.Flatten]))
                : Weighted(0.6, 0.3, m.InputShape.Length > 1 ? 0.1 : 0.05) switch { 0 => FuzzLayerKind.Dense, 1 => FuzzLayerKind.Dropout, _ => FuzzLayerKind.Flatten };
            // Normalization mostly first (or right after the leading Flatten), where it is legal; now and then anywhere,
            // where it may follow a Dense layer (NG0109), repeat one (NG0110), get a multi-dimensional input (NG0106) or end the model.
            if (!(i == 0 && flattenFirst) && P(i == (flattenFirst ? 1 : 0) ? 0.2 : 0.03))
            {
                kind = FuzzLayerKind.Normalization;
            }

            var layer = new FuzzLayer { Kind = kind };
            switch (kind)
            {
                case FuzzLayerKind.Dense:
                    layer.Units = P(0.03) ? Pick([0, -1, -100, int.MinValue, 100_000, 1 << 20, int.MaxValue]) : last ? OutputUnits(m.Loss) : 1 + _random.Next(32);
                    layer.Activation = P(0.015) ? Pick([6, 9, -1, 100]) : last ? OutputActivation(m.Loss) : _random.Next(6);
                    if ((layer.Activation == 4 && P(0.6)) || P(0.04))
                    {
                        layer.Alpha = P(0.85) ? Pick([0.1, 0.2, 0.3, 0, 0.01, 1, 5, 1e-45, 1e-300, 3.4e38, double.Epsilon, -0.0])
                            : Pick([-0.1, -5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e39, double.MaxValue, -1e-300]);
                    }

                    if (P(0.05))
                    {
                        layer.KernelL2 = P(0.7) ? Pick([0, 0.01, 1e-4, 1, 1e-45, 3.4e38, -0.0])
                            : Pick([-0.01, -1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e39, double.MaxValue]);
                    }

                    if (P(0.12))
                    {
                        layer.InputSize = size is long s && s <= int.MaxValue && P(0.75) ? (int)s : Pick([0, -3, 1, 7, 784, int.MaxValue]);
                    }

                    size = layer.Units;
                    break;
                case FuzzLayerKind.Dropout:
                    layer.Rate = P(0.93) ? Pick([0, 0.1, 0.25, 0.3, 0.5, 0.9, 0.999, 1 - 1e-10, -0.0, (double)0.3f])
                        : Pick([1, 1.5, -0.1, 30, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.99999999999999999, -1e-300]);
                    break;
                case FuzzLayerKind.Normalization:
                    break; // keeps the size
                default:
                    size = m.InputShape.Length > 0 && i == 0 ? m.InputShape.Aggregate(1L, (p, d) => Math.Clamp(p * d, long.MinValue / 4, long.MaxValue / 4)) : size;
                    break;
            }

            if (nameHunt || P(0.4))
            {
                // Valid names, names made of the words NetGen's generated members use, names built from an earlier
                // layer's name the way generated locals and fields are ("next_" + name, name + "_z"), invalid ones.
                string[] earlier = [.. m.Layers.Where(l => l.Name is not null).Select(l => l.Name!)];
                layer.NameWritten = true;
                layer.Name = (nameHunt && earlier.Length > 0 ? _random.Next(74, 90) : _random.Next(100)) switch
                {
                    < 6 => null,
                    < 50 => Pick(ValidNames),
                    < 74 => string.Join("_", Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Pick(NameTokens))),
                    < 90 when earlier.Length > 0 => ComposedName(Pick(earlier)),
                    < 90 => Pick(ValidNames),
                    < 96 => Pick(InvalidNames),
                    _ => RandomString(),
                };
            }

            m.Layers.Add(layer);
        }
    }

    /// <summary>
    /// A convolutional stack: a few Conv2D, pooling and BatchNormalization layers, mostly well-formed and sized to fit,
    /// then a Flatten or a GlobalAveragePooling2D (sometimes neither, or a spatial layer after it), maybe a Dropout,
    /// and a Dense output.
    /// </summary>
    private void ChooseImageLayers(FuzzModel m)
    {
        FuzzLayerKind[] spatial = [FuzzLayerKind.Conv2D, FuzzLayerKind.Conv2D, FuzzLayerKind.MaxPooling2D, FuzzLayerKind.AveragePooling2D, FuzzLayerKind.BatchNormalization];
        int count = 1 + _random.Next(4);
        for (int i = 0; i < count; i++)
        {
            m.Layers.Add(SpatialLayer(Pick(spatial)));
        }

        switch (_random.Next(20))
        {
            case < 11:
                m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Flatten });
                break;
            case < 16:
                m.Layers.Add(SpatialLayer(FuzzLayerKind.GlobalAveragePooling2D));
                break;
            case < 18:
                m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Flatten });
                m.Layers.Add(SpatialLayer(Pick(spatial.Append(FuzzLayerKind.GlobalAveragePooling2D).ToArray()))); // after a vector: NG0125
                break;
            default:
                break; // a Dense straight after an image: NG0106
        }

        if (P(0.25))
        {
            m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dropout, Rate = Pick([0.25, 0.5]) });
        }

        if (P(0.1))
        {
            m.Layers.Add(SpatialLayer(FuzzLayerKind.BatchNormalization)); // per feature, after a Dense or a vector
        }

        m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dense, Units = OutputUnits(m.Loss), Activation = OutputActivation(m.Loss) });
        foreach (FuzzLayer layer in m.Layers.Where(_ => P(0.25)))
        {
            layer.NameWritten = true;
            layer.Name = P(0.9) ? Pick(ValidNames) + "_" + _random.Next(10).ToString(CultureInfo.InvariantCulture) : Pick(InvalidNames);
        }
    }

    private FuzzLayer SpatialLayer(FuzzLayerKind kind)
    {
        var layer = new FuzzLayer { Kind = kind };
        switch (kind)
        {
            case FuzzLayerKind.Conv2D or FuzzLayerKind.MaxPooling2D or FuzzLayerKind.AveragePooling2D:
                bool conv = kind == FuzzLayerKind.Conv2D;
                if (conv)
                {
                    layer.Filters = P(0.04) ? Pick([0, -1, int.MinValue]) : 1 + _random.Next(6);
                    layer.Activation = P(0.02) ? Pick([6, -1]) : _random.Next(6);
                    if ((layer.Activation == 4 && P(0.5)) || P(0.03))
                    {
                        layer.Alpha = P(0.85) ? Pick([0.1, 0.3, 0]) : Pick([-0.5, double.NaN, 1e39]);
                    }
                }

                if (conv || P(0.7))
                {
                    layer.WindowIsArray = P(0.35);
                    int k = P(0.04) ? Pick([0, -2]) : 1 + _random.Next(4);
                    layer.Window = !layer.WindowIsArray ? [k]
                        : P(0.06) ? Pick<int[]>([[], [k], [k, k, k]])
                        : [k, P(0.6) ? k : 1 + _random.Next(4)];
                }

                switch (_random.Next(10))
                {
                    case < 5:
                        break;
                    case < 8:
                        layer.Strides = P(0.05) ? Pick([0, -1]) : 1 + _random.Next(3);
                        break;
                    default:
                        layer.StrideHeight = P(0.6) ? null : P(0.05) ? 0 : 1 + _random.Next(3);
                        layer.StrideWidth = P(0.05) ? -1 : 1 + _random.Next(3);
                        layer.Strides = P(0.3) ? 1 + _random.Next(2) : null;
                        break;
                }

                layer.Padding = P(0.5) ? null : P(0.03) ? Pick([2, -1]) : _random.Next(2);
                break;
            case FuzzLayerKind.BatchNormalization:
                if (P(0.4))
                {
                    layer.Momentum = P(0.85) ? Pick([0.99, 0.9, 0, 0.5]) : Pick([1, -0.1, 1.5, 0.99999999999, double.NaN]);
                }

                if (P(0.4))
                {
                    layer.Epsilon = P(0.85) ? Pick([1e-3, 1e-5, 0.1]) : Pick([0, -1e-3, 1e-50, double.NaN, double.PositiveInfinity, 1e39]);
                }

                break;
        }

        return layer;
    }

    /// <summary>
    /// A name made from an earlier one the way NetGen makes member and local names from layer names: with a prefix,
    /// with a suffix, or with an earlier prefix traded for a suffix ("next_x" → "x_z"), so that one layer's generated
    /// names can meet another's.
    /// </summary>
    private string ComposedName(string earlier)
    {
        string[] prefixes = ["next_", "dense_", "x_", "gradient_"];
        string[] suffixes = ["_z", "_a", "_output", "_mask", "_kernel", "_bias", "_gradient", "_1"];
        string? prefix = prefixes.FirstOrDefault(p => earlier.StartsWith(p, StringComparison.Ordinal) && earlier.Length > p.Length);
        return _random.Next(3) switch
        {
            0 => Pick(prefixes) + earlier,
            1 when prefix is not null => earlier[prefix.Length..] + Pick(suffixes),
            _ => earlier + Pick(suffixes),
        };
    }

    private int OutputUnits(int loss) => loss switch
    {
        2 => P(0.75) ? 1 : 2 + _random.Next(3),
        3 or 4 => P(0.88) ? 2 + _random.Next(9) : 1,
        _ => 1 + _random.Next(4),
    };

    private int OutputActivation(int loss) => loss switch
    {
        2 => P(0.75) ? 1 : _random.Next(6),
        3 or 4 => P(0.75) ? 5 : _random.Next(6),
        _ => P(0.6) ? 0 : _random.Next(6),
    };

    private string RandomString()
    {
        const string alphabet = "abcXYZ019_ -.é";
        return new string([.. Enumerable.Range(0, _random.Next(7)).Select(_ => alphabet[_random.Next(alphabet.Length)])]);
    }

    private void ChooseClassName(FuzzModel m)
    {
        (string Token, string Name) name;
        bool special = true;
        int roll = _random.Next(100);
        string[] derived = [.. m.Layers
            .Select((layer, i) => (layer, name: FuzzOracle.DefaultNames(m.Layers)[i]))
            .Where(x => FuzzOracle.IsValidName(x.name))
            .SelectMany(x => FuzzOracle.MembersOf(x.layer, FuzzOracle.Pascal(x.name)).Concat([FuzzOracle.Pascal(x.name) + "Kernel", "_" + char.ToLowerInvariant(x.name[0]) + FuzzOracle.Pascal(x.name)[1..] + "A"]))];
        if (roll < 76)
        {
            name = Pick(PlainClassNames);
            special = false;
        }
        else if (roll < 81)
        {
            name = Pick(FuzzOracle.FixedMembers) is var fixedName ? (fixedName, fixedName) : default;
        }
        else if (roll < 87 && derived.Length > 0)
        {
            name = Pick(derived) is var d ? (d, d) : default;
        }
        else if (roll < 93)
        {
            name = Pick(KeywordClassNames);
        }
        else
        {
            name = Pick(PlainClassNames);
            special = false;
        }

        if (m.Namespace.Count == 0 && m.Outers.Count == 0)
        {
            // A top-level class in the global namespace must be unique in the compilation.
            string uid = m.Id.ToString(CultureInfo.InvariantCulture);
            if (special || P(0.5))
            {
                m.Namespace.Add(("Fz" + uid, "Fz" + uid));
            }
            else
            {
                name = (name.Token + "_" + uid, name.Name + "_" + uid);
            }
        }

        (m.ClassToken, m.ClassName) = name;
        if (m.ClassName == "Network" && m.BaseList is not null)
        {
            // A class named Network would be its own base: name NetGen's explicitly.
            m.BaseList = m.BaseList.Replace("NG.Network", "global::NetGen.Network", StringComparison.Ordinal);
            m.BaseList = m.BaseList.StartsWith("Network", StringComparison.Ordinal) ? "global::NetGen." + m.BaseList : m.BaseList;
        }
    }

    // ---- Deliberate C# errors ----

    private enum Corruption
    {
        None,

        // The compiler cannot bind these: the attribute's AttributeData carries an error.
        DenseUnitsString,
        DenseUnitsDouble,
        DenseUnitsLong,
        DenseActivationInt,
        DenseMissingUnits,
        DenseTooManyArguments,
        DenseNameInt,
        DenseAlphaString,
        DenseNonConstantUnits,
        DenseConstantOverflow,
        DenseDuplicateNamedUnits,
        DenseOutOfPositionNamed,
        DenseReadOnlyUnits,
        DropoutRateString,
        DropoutRateDecimal,
        DropoutMissingRate,
        DropoutTooManyArguments,
        DropoutReadOnlyRate,
        FlattenArgument,
        SequentialShapeString,
        SequentialShapeDouble,
        SequentialShapeLongArray,
        SequentialNonConstant,
        SequentialReadOnlyShape,
        SequentialUnknownLoss,
        ModelIsStruct,
        MissingPartialOnOnePart,

        // The compiler reports these but still binds the attribute to values.
        DenseInputSizeDouble,
        DenseAlphaOutOfRange,
        DenseUnknownProperty,
        DenseDuplicateProperty,
        DenseAlphaDecimal,
        DensePropertyBeforePositional,
        FlattenUnknownProperty,
        SequentialLossInt,
        SequentialPropertyBeforePositional,
        DuplicateSequential,

        // Errors that do not touch the NetGen attributes.
        UnknownAttribute,
        BrokenMember,
    }

    private int _corruptLayer = -1;

    private void Corrupt(FuzzModel m, out Corruption corruption)
    {
        corruption = Corruption.None;
        _corruptLayer = -1;
        int roll = _random.Next(100);
        if (roll >= 14)
        {
            return;
        }

        if (roll >= 11)
        {
            corruption = P(0.5) ? Corruption.UnknownAttribute : Corruption.BrokenMember;
            m.CompilerError = FuzzCompilerError.Unrelated;
            m.CompilerErrorLabel = corruption.ToString();
            return;
        }

        var candidates = new List<Corruption>();
        int dense = m.Layers.FindIndex(l => l.Kind == FuzzLayerKind.Dense);
        int dropout = m.Layers.FindIndex(l => l.Kind == FuzzLayerKind.Dropout);
        int flatten = m.Layers.FindIndex(l => l.Kind == FuzzLayerKind.Flatten);
        if (dense >= 0)
        {
            candidates.AddRange([Corruption.DenseUnitsString, Corruption.DenseUnitsDouble, Corruption.DenseUnitsLong, Corruption.DenseActivationInt,
                Corruption.DenseMissingUnits, Corruption.DenseTooManyArguments, Corruption.DenseNameInt, Corruption.DenseAlphaString,
                Corruption.DenseAlphaOutOfRange, Corruption.DenseInputSizeDouble, Corruption.DenseNonConstantUnits, Corruption.DenseConstantOverflow,
                Corruption.DenseDuplicateNamedUnits, Corruption.DenseOutOfPositionNamed, Corruption.DenseReadOnlyUnits, Corruption.DenseUnknownProperty,
                Corruption.DenseDuplicateProperty, Corruption.DenseAlphaDecimal, Corruption.DensePropertyBeforePositional]);
        }

        if (dropout >= 0)
        {
            candidates.AddRange([Corruption.DropoutRateString, Corruption.DropoutRateDecimal, Corruption.DropoutMissingRate,
                Corruption.DropoutTooManyArguments, Corruption.DropoutReadOnlyRate]);
        }

        if (flatten >= 0)
        {
            candidates.AddRange([Corruption.FlattenArgument, Corruption.FlattenUnknownProperty]);
        }

        if (m.HasSequential)
        {
            candidates.AddRange([Corruption.SequentialShapeString, Corruption.SequentialShapeDouble, Corruption.SequentialShapeLongArray,
                Corruption.SequentialNonConstant, Corruption.SequentialLossInt, Corruption.SequentialUnknownLoss,
                Corruption.SequentialPropertyBeforePositional, Corruption.SequentialReadOnlyShape, Corruption.DuplicateSequential]);
        }

        if (m.Layers.Count > 0 || m.HasSequential)
        {
            candidates.Add(Corruption.ModelIsStruct);
        }

        if (m.Partial && !m.Record)
        {
            candidates.Add(Corruption.MissingPartialOnOnePart);
        }

        if (candidates.Count == 0)
        {
            return;
        }

        corruption = Pick(candidates);
        _corruptLayer = corruption.ToString() switch
        {
            var s when s.StartsWith("Dense", StringComparison.Ordinal) => dense,
            var s when s.StartsWith("Dropout", StringComparison.Ordinal) => dropout,
            var s when s.StartsWith("Flatten", StringComparison.Ordinal) => flatten,
            _ => -1,
        };
        m.CompilerError = corruption >= Corruption.DenseInputSizeDouble ? FuzzCompilerError.Recovered : FuzzCompilerError.Unbound;
        m.CompilerErrorLabel = corruption.ToString();
        if (corruption == Corruption.ModelIsStruct)
        {
            m.Static = m.Abstract = m.Sealed = m.Record = false;
            m.BaseList = null;
            m.HasBaseClass = false;
        }
    }

    // ---- Text ----

    private string Write(FuzzModel m, Corruption corruption)
    {
        // Attribute entries: the layers in order, [Sequential] anywhere among them, look-alikes and unrelated ones anywhere.
        // Each entry with what it is: a layer's index, SequentialEntry, or OtherEntry.
        const int SequentialEntry = -1, OtherEntry = -2;
        var entries = new List<(string Text, int What)>();
        for (int i = 0; i < m.Layers.Count; i++)
        {
            entries.Add((WriteLayer(m.Layers[i], i == _corruptLayer ? corruption : Corruption.None), i));
        }

        if (m.HasSequential)
        {
            entries.Insert(_random.Next(entries.Count + 1), (WriteSequential(m, corruption), SequentialEntry));
            if (corruption == Corruption.DuplicateSequential)
            {
                entries.Insert(_random.Next(entries.Count + 1), (WriteSequential(m, Corruption.None), OtherEntry));
            }
        }

        foreach (string extra in Extras(corruption))
        {
            entries.Insert(_random.Next(entries.Count + 1), (extra, OtherEntry));
        }

        // Group the entries into attribute lists, and the lists into one to three partial declarations.
        var lists = new List<List<(string Text, int What)>>();
        foreach ((string Text, int What) entry in entries)
        {
            if (lists.Count == 0 || P(0.6))
            {
                lists.Add([]);
            }

            lists[^1].Add(entry);
        }

        int partCount = corruption == Corruption.MissingPartialOnOnePart ? 2 + _random.Next(2)
            : m.Partial && P(0.25) ? 2 + _random.Next(2) : 1;
        var parts = new List<List<List<(string Text, int What)>>>();
        for (int p = 0; p < partCount; p++)
        {
            parts.Add([]);
        }

        foreach (List<(string Text, int What)> list in lists)
        {
            // Keep the order: each list goes to the same part as the previous one or a later one.
            int part = parts.FindLastIndex(x => x.Count > 0);
            part = Math.Max(part, 0);
            if (P(0.3) && part < partCount - 1)
            {
                part++;
            }

            parts[part].Add(list);
            foreach ((_, int what) in list)
            {
                if (what >= 0)
                {
                    m.Layers[what].Part = part;
                }
                else if (what == SequentialEntry)
                {
                    m.SequentialPart = part;
                }
            }
        }

        int unpartialPart = corruption == Corruption.MissingPartialOnOnePart ? _random.Next(partCount) : -1;

        var w = new StringBuilder();
        w.Append("// fuzz model ").Append(m.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        w.Append("using NetGen;\nusing NG = global::NetGen;\n\n");
        int closers = 0;
        if (m.Namespace.Count > 0)
        {
            string ns = string.Join(".", m.Namespace.Select(n => n.Token));
            switch (_random.Next(3))
            {
                case 0:
                    w.Append("namespace ").Append(ns).Append(";\n\n");
                    break;
                case 1:
                    w.Append("namespace ").Append(ns).Append("\n{\n");
                    closers++;
                    break;
                default:
                    foreach ((string token, _) in m.Namespace)
                    {
                        w.Append("namespace ").Append(token).Append("\n{\n");
                        closers++;
                    }

                    break;
            }
        }

        foreach (FuzzOuter outer in m.Outers)
        {
            string keyword = outer.Keyword;
            string modifiers = keyword.StartsWith("static ", StringComparison.Ordinal) || keyword.StartsWith("sealed ", StringComparison.Ordinal)
                || keyword.StartsWith("abstract ", StringComparison.Ordinal) || keyword.StartsWith("readonly ", StringComparison.Ordinal)
                ? keyword[..(keyword.IndexOf(' ', StringComparison.Ordinal) + 1)] : string.Empty;
            string kind = keyword[modifiers.Length..];
            w.Append("public ").Append(modifiers).Append(outer.Partial ? "partial " : string.Empty).Append(kind).Append(' ').Append(outer.Name)
                .Append(outer.Generic ? "<T" + outer.Name[^1] + ">" : string.Empty).Append("\n{\n");
            closers++;
        }

        string innermost = m.Outers.Count > 0 ? m.Outers[^1].Keyword : string.Empty;
        string access = m.FileLocal ? "file "
            : m.Outers.Count == 0 ? Pick(["", "public ", "internal "])
            : innermost == "interface" ? Pick(["", "public ", "internal "])
            : Pick(["", "public ", "internal ", "private "]);
        string modifiers2 = m.Static ? "static " : m.Abstract ? "abstract " : m.Sealed ? "sealed " : string.Empty;
        string typeKeyword = corruption == Corruption.ModelIsStruct ? Pick(["struct", "record struct"])
            : m.Record ? Pick(["record", "record class"]) : "class";
        FuzzExpectation expectation = FuzzOracle.Expect(m);
        for (int p = 0; p < partCount; p++)
        {
            foreach (List<(string Text, int What)> list in parts[p])
            {
                w.Append('[').Append(P(0.05) ? "type: " : string.Empty).Append(string.Join(", ", list.Select(e => e.Text))).Append("]\n");
            }

            bool partial = p == unpartialPart ? false : m.Partial;
            w.Append(access).Append(modifiers2).Append(partial ? "partial " : string.Empty).Append(typeKeyword).Append(' ').Append(m.ClassToken)
                .Append(m.Generic ? "<TModel>" : string.Empty);
            if (p == 0 && m.BaseList is not null)
            {
                w.Append(" : ").Append(m.BaseList);
            }

            var body = new StringBuilder();
            if (p == partCount - 1)
            {
                if (corruption == Corruption.BrokenMember)
                {
                    body.Append("    private static int Broken() => \"not an int\";\n");
                }

                // A refused model's stub has the same members, so the same code compiles against it (unless a name is
                // what is wrong with it).
                bool stubUsable = expectation.Verdict == FuzzVerdict.Invalid && FuzzOracle.Stubbable(m)
                    && !expectation.Ids.Overlaps(["NG0010", "NG0013"]);
                if ((expectation.Verdict == FuzzVerdict.Valid || stubUsable) && !m.Abstract && m.CompilerError == FuzzCompilerError.None)
                {
                    body.Append(Usage(m));
                }
            }

            w.Append(body.Length == 0 && P(0.6) ? ";\n" : "\n{\n" + body + "}\n");
        }

        for (int i = 0; i < closers; i++)
        {
            w.Append("}\n");
        }

        return w.ToString();
    }

    /// <summary>A member that uses the generated API, so a valid model's public surface is compiled too.</summary>
    private static string Usage(FuzzModel m)
    {
        var w = new StringBuilder();
        w.Append("    internal static float[] FuzzUse()\n    {\n");
        w.Append("        var model = new ").Append(m.ClassToken).Append("();\n");
        w.Append("        _ = Summary.Length + ParameterCount + OutputSize;\n");
        string[] names = FuzzOracle.DefaultNames(m.Layers);
        for (int i = 0; i < m.Layers.Count; i++)
        {
            if (m.Layers[i].Kind == FuzzLayerKind.Dense)
            {
                string id = FuzzOracle.Pascal(names[i]);
                w.Append("        _ = model.").Append(id).Append("Kernel.Length + model.").Append(id).Append("BiasGradient.Length;\n");
            }
        }

        w.Append("        return model.Predict(new float[InputSize]);\n    }\n");
        return w.ToString();
    }

    private IEnumerable<string> Extras(Corruption corruption)
    {
        if (P(0.12))
        {
            yield return Pick(["Decoy.Dense(3)", "global::Decoy.SequentialAttribute(2)", "Decoy.Dropout(5)", "Decoy.NetGen.Dense(1)", "Decoy.Flatten"]);
        }

        if (P(0.05))
        {
            yield return Pick(["Decoy.Dense(-1)", "Decoy.Sequential", "Decoy.NetGen.Dense(0)"]);
        }

        if (P(0.06))
        {
            yield return Pick(["System.Serializable", "System.ComponentModel.Description(\"fuzz\")", "System.Diagnostics.DebuggerDisplay(\"{ToString()}\")"]);
        }

        if (corruption == Corruption.UnknownAttribute)
        {
            yield return "NotAnAttribute";
        }
    }

    private string AttributeName(string kind) => _random.Next(10) switch
    {
        < 6 => kind,
        6 => kind + "Attribute",
        7 => "NetGen." + kind,
        8 => "global::NetGen." + kind + "Attribute",
        _ => "NG." + kind,
    };

    private string WriteSequential(FuzzModel m, Corruption corruption)
    {
        var args = new List<string>();
        switch (corruption)
        {
            case Corruption.SequentialShapeString:
                args.Add("\"4\"");
                break;
            case Corruption.SequentialShapeDouble:
                args.Add("4.5");
                break;
            case Corruption.SequentialShapeLongArray:
                args.Add("new[] { 4L }");
                break;
            case Corruption.SequentialNonConstant:
                args.Add("System.Environment.ProcessorCount");
                break;
            default:
                args.AddRange(ShapeArguments(m.InputShape));
                m.NullInputShape |= args.Count > 0 && args[0] is "null" or "inputShape: null";
                break;
        }

        string? loss = corruption switch
        {
            Corruption.SequentialLossInt => "Loss = " + Pick(["2", "3", "-1"]),
            Corruption.SequentialUnknownLoss => "Loss = Loss.Hinge",
            _ when m.LossDeclared => "Loss = " + EnumExpression("Loss", LossNames, m.Loss),
            _ => null,
        };
        if (corruption == Corruption.SequentialPropertyBeforePositional)
        {
            args.Insert(0, loss ?? "Loss = Loss.MeanSquaredError");
            if (args.Count == 1)
            {
                args.Add("4");
            }
        }
        else if (loss is not null)
        {
            args.Add(loss);
        }

        if (corruption == Corruption.SequentialReadOnlyShape)
        {
            args.Add("InputShape = new[] { 4 }");
        }

        string name = AttributeName("Sequential");
        return args.Count == 0 && P(0.5) ? name : name + "(" + string.Join(", ", args) + ")";
    }

    private List<string> ShapeArguments(int[] shape)
    {
        if (shape.Length == 0)
        {
            return _random.Next(8) switch
            {
                0 => [],
                1 => ["[]"],
                2 => ["new int[0]"],
                3 => ["inputShape: []"],
                4 => ["null"],
                5 => ["new int[] { }"],
                6 => ["inputShape: null"],
                _ => [],
            };
        }

        string Dims(bool plain) => string.Join(", ", shape.Select(d => plain ? Plain(d) : IntExpression(d)));
        return _random.Next(shape.Length == 1 ? 9 : 8) switch
        {
            0 or 1 => [.. shape.Select(IntExpression)],
            2 => ["[" + Dims(false) + "]"],
            3 => ["inputShape: [" + Dims(false) + "]"],
            4 => ["new int[] { " + Dims(false) + " }"],
            5 => ["new[] { " + Dims(true) + " }"],
            6 => ["new int[" + shape.Length.ToString(CultureInfo.InvariantCulture) + "] { " + Dims(false) + " }"],
            7 => ["inputShape: new[] { " + Dims(true) + " }"],
            _ => ["inputShape: " + IntExpression(shape[0])],
        };
    }

    private string WriteLayer(FuzzLayer layer, Corruption corruption)
    {
        var ctor = new List<string>();
        var properties = new List<string>();
        string kind = layer.Kind.ToString();
        switch (layer.Kind)
        {
            case FuzzLayerKind.Dense:
                string units = corruption switch
                {
                    Corruption.DenseUnitsString => "\"8\"",
                    Corruption.DenseUnitsDouble => "8.5",
                    Corruption.DenseUnitsLong => "8L",
                    Corruption.DenseNonConstantUnits => "System.Environment.ProcessorCount",
                    Corruption.DenseConstantOverflow => "int.MaxValue + 1",
                    _ => IntExpression(layer.Units),
                };
                string? activation = corruption == Corruption.DenseActivationInt ? Pick(["3", "1", "5"])
                    : layer.Activation == 0 && P(0.5) ? null : EnumExpression("Activation", ActivationNames, layer.Activation);
                switch (corruption)
                {
                    case Corruption.DenseMissingUnits:
                        ctor.AddRange(Pick<List<string>>([[], ["activation: " + (activation ?? "Activation.ReLU")]]));
                        break;
                    case Corruption.DenseDuplicateNamedUnits:
                        ctor.AddRange(["units: " + units, "units: " + units]);
                        break;
                    case Corruption.DenseOutOfPositionNamed:
                        ctor.AddRange(["activation: " + (activation ?? "Activation.ReLU"), units]);
                        break;
                    default:
                        ctor.AddRange(CtorArguments([("units", units), ("activation", activation)]));
                        if (corruption == Corruption.DenseTooManyArguments)
                        {
                            ctor.Clear();
                            ctor.AddRange([units, activation ?? "Activation.Linear", "7"]);
                        }

                        break;
                }

                if (layer.Alpha is double alpha)
                {
                    properties.Add("Alpha = " + DoubleExpression(alpha, layer, "Alpha"));
                }

                if (layer.InputSize is int inputSize)
                {
                    properties.Add("InputSize = " + IntExpression(inputSize));
                }

                if (layer.KernelL2 is double kernelL2)
                {
                    properties.Add("KernelL2 = " + DoubleExpression(kernelL2, layer, "KernelL2"));
                }

                properties.AddRange(corruption switch
                {
                    Corruption.DenseNameInt => ["Name = 5"],
                    Corruption.DenseAlphaString => ["Alpha = \"0.1\""],
                    Corruption.DenseAlphaOutOfRange => ["Alpha = 1e400"],
                    Corruption.DenseAlphaDecimal => ["Alpha = 0.1m"],
                    Corruption.DenseInputSizeDouble => ["InputSize = 1.5"],
                    Corruption.DenseReadOnlyUnits => ["Units = 3"],
                    Corruption.DenseUnknownProperty => ["Foo = 1"],
                    Corruption.DenseDuplicateProperty => ["Name = \"first\"", "Name = \"second\""],
                    _ => [],
                });
                break;

            case FuzzLayerKind.Dropout:
                string rate = corruption switch
                {
                    Corruption.DropoutRateString => "\"0.5\"",
                    Corruption.DropoutRateDecimal => "0.5m",
                    _ => DoubleExpression(layer.Rate, layer, "Rate"),
                };
                switch (corruption)
                {
                    case Corruption.DropoutMissingRate:
                        break;
                    case Corruption.DropoutTooManyArguments:
                        ctor.AddRange([rate, rate]);
                        break;
                    default:
                        ctor.Add(P(0.2) ? "rate: " + rate : rate);
                        break;
                }

                if (corruption == Corruption.DropoutReadOnlyRate)
                {
                    properties.Add("Rate = 0.5");
                }

                break;

            case FuzzLayerKind.Conv2D or FuzzLayerKind.MaxPooling2D or FuzzLayerKind.AveragePooling2D:
                bool conv = layer.Kind == FuzzLayerKind.Conv2D;
                string sizeName = conv ? "kernelSize" : "poolSize";
                string? size = layer.Window is null ? null : WindowExpression(layer.Window, layer.WindowIsArray);
                if (conv)
                {
                    string? convActivation = layer.Activation == 0 && P(0.5) ? null : EnumExpression("Activation", ActivationNames, layer.Activation);
                    ctor.AddRange(CtorArguments([("filters", IntExpression(layer.Filters)), (sizeName, size), ("activation", convActivation)]));
                    if (layer.Alpha is double convAlpha)
                    {
                        properties.Add("Alpha = " + DoubleExpression(convAlpha, layer, "Alpha"));
                    }
                }
                else if (size is not null)
                {
                    ctor.Add(P(0.2) ? sizeName + ": " + size : size);
                }

                if (layer.Strides is int strides)
                {
                    properties.Add("Strides = " + IntExpression(strides));
                }

                if (layer.StrideHeight is int strideHeight)
                {
                    properties.Add("StrideHeight = " + IntExpression(strideHeight));
                }

                if (layer.StrideWidth is int strideWidth)
                {
                    properties.Add("StrideWidth = " + IntExpression(strideWidth));
                }

                if (layer.Padding is int padding)
                {
                    properties.Add("Padding = " + EnumExpression("Padding", ["Valid", "Same"], padding));
                }

                break;

            case FuzzLayerKind.BatchNormalization:
                if (layer.Momentum is double momentum)
                {
                    properties.Add("Momentum = " + DoubleExpression(momentum, layer, "Momentum"));
                }

                if (layer.Epsilon is double epsilon)
                {
                    properties.Add("Epsilon = " + DoubleExpression(epsilon, layer, "Epsilon"));
                }

                break;

            default:
                if (corruption == Corruption.FlattenArgument)
                {
                    ctor.Add("1");
                }
                else if (corruption == Corruption.FlattenUnknownProperty)
                {
                    properties.Add("Units = 3");
                }

                break;
        }

        if (layer.NameWritten && corruption is not Corruption.DenseNameInt and not Corruption.DenseDuplicateProperty)
        {
            properties.Add("Name = " + StringExpression(layer.Name));
        }

        Shuffle(properties);
        var args = new List<string>(ctor);
        if (corruption == Corruption.DensePropertyBeforePositional)
        {
            args.Insert(0, "Name = \"early\"");
        }

        args.AddRange(properties);
        string name = AttributeName(kind);
        return args.Count == 0 ? (P(0.5) ? name : name + "()") : name + "(" + string.Join(", ", args) + ")";
    }

    /// <summary>A window size: an int, or an array as a collection expression or an array creation.</summary>
    private string WindowExpression(int[] size, bool isArray)
    {
        if (!isArray)
        {
            return IntExpression(size[0]);
        }

        string items = string.Join(", ", size.Select(Plain));
        return _random.Next(4) switch
        {
            0 => "new int[] { " + items + " }",
            1 when size.Length > 0 => "new[] { " + items + " }",
            _ => "[" + items + "]",
        };
    }

    /// <summary>Constructor arguments positionally, named in position, or all named in any order; a null value is left out (its default applies).</summary>
    private List<string> CtorArguments(List<(string Name, string? Value)> parameters)
    {
        var present = parameters.Where(p => p.Value is not null).ToList();
        switch (_random.Next(10))
        {
            case < 6:
                return [.. present.Select(p => p.Value!)];
            case < 8:
                int named = _random.Next(present.Count);
                return [.. present.Select((p, i) => i == named ? p.Name + ": " + p.Value : p.Value!)];
            default:
                var all = present.Select(p => p.Name + ": " + p.Value).ToList();
                Shuffle(all);
                return all;
        }
    }

    // ---- Values as C# expressions (each spelling binds to exactly the value given) ----

    private static string Plain(int value) => value.ToString(CultureInfo.InvariantCulture);

    private string IntExpression(int value)
    {
        string plain = Plain(value);
        return _random.Next(20) switch
        {
            0 when value >= 0 => "0x" + value.ToString("X", CultureInfo.InvariantCulture),
            1 when value > 1000 => Underscored(value),
            2 when value is >= 0 and <= 0xFFFF => "'\\u" + value.ToString("X4", CultureInfo.InvariantCulture) + "'",
            3 when value == int.MaxValue => "int.MaxValue",
            3 when value == int.MinValue => "int.MinValue",
            4 when value is > -1000 and < 1000 => "(int)(" + plain + ".75)",
            5 when value == 4 => "sizeof(int)",
            6 when value is > int.MinValue + 10 and < int.MaxValue - 10 => "(" + Plain(value - 3) + " + 3)",
            7 when value > 0 && (value & (value - 1)) == 0 => "1 << " + BitOperations.Log2((uint)value).ToString(CultureInfo.InvariantCulture),
            8 when value == int.MinValue => "unchecked(int.MaxValue + 1)",
            9 when value is >= short.MinValue and <= short.MaxValue => "(short)" + (value < 0 ? "(" + plain + ")" : plain),
            _ => plain,
        };
    }

    private static string Underscored(int value)
    {
        string digits = value.ToString(CultureInfo.InvariantCulture);
        var w = new StringBuilder();
        for (int i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % 3 == 0)
            {
                w.Append('_');
            }

            w.Append(digits[i]);
        }

        return w.ToString();
    }

    /// <summary>A double expression; a float spelling changes the bound value, so the layer is updated to match.</summary>
    private string DoubleExpression(double value, FuzzLayer layer, string property)
    {
        if (double.IsNaN(value))
        {
            return Pick(["double.NaN", "0.0 / 0", "System.Double.NaN", "global::System.Double.NaN"]);
        }

        if (double.IsPositiveInfinity(value))
        {
            return Pick(["double.PositiveInfinity", "1.0 / 0", "1 / 0.0"]);
        }

        if (double.IsNegativeInfinity(value))
        {
            return Pick(["double.NegativeInfinity", "-1.0 / 0"]);
        }

        if (value == double.MaxValue && P(0.5))
        {
            return "double.MaxValue";
        }

        if (value == double.Epsilon && P(0.5))
        {
            return "double.Epsilon";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (value == Math.Floor(value) && Math.Abs(value) < 1e9 && !(value == 0 && double.IsNegative(value)) && P(0.4))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture); // an int constant converted to double
        }

        float single = (float)value;
        if (float.IsFinite(single) && P(0.15))
        {
            // A float literal: the attribute gets (double)single.
            double bound = single;
            switch (property)
            {
                case "Alpha":
                    layer.Alpha = bound;
                    break;
                case "KernelL2":
                    layer.KernelL2 = bound;
                    break;
                case "Momentum":
                    layer.Momentum = bound;
                    break;
                case "Epsilon":
                    layer.Epsilon = bound;
                    break;
                default:
                    layer.Rate = bound;
                    break;
            }

            string f = single.ToString("R", CultureInfo.InvariantCulture);
            return (f.StartsWith('-') ? "-" + f[1..] : f) + "f";
        }

        bool hasPoint = text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal);
        return _random.Next(4) switch
        {
            0 => text + "d",
            _ => hasPoint ? text : text + ".0",
        };
    }

    private string EnumExpression(string type, string[] names, int value)
    {
        if (value < 0 || value >= names.Length)
        {
            return "(" + type + ")" + (value < 0 ? "(" + Plain(value) + ")" : Plain(value));
        }

        return _random.Next(12) switch
        {
            0 => "NetGen." + type + "." + names[value],
            1 => "NG." + type + "." + names[value],
            2 => "(" + type + ")" + Plain(value),
            3 when value == 0 => Pick(["0", "default", "default(" + type + ")"]),
            4 => "global::NetGen." + type + "." + names[value],
            _ => type + "." + names[value],
        };
    }

    private string StringExpression(string? value)
    {
        if (value is null)
        {
            return Pick(["null", "default", "(string?)null"]);
        }

        bool plain = value.All(c => c >= ' ' && c != '"' && c != '\\' && c < 0x7F);
        switch (_random.Next(10))
        {
            case 0 when value.All(c => c >= ' ' && c < 0x7F):
                return "@\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            case 1 when plain && value.Length > 0:
                return "\"\"\"" + value + "\"\"\"";
            case 2 when value.Length > 1:
                int cut = 1 + _random.Next(value.Length - 1);
                return Quote(value[..cut]) + " + " + Quote(value[cut..]);
            case 3 when value.Length > 0 && char.IsAsciiLetter(value[0]):
                return "\"\\u" + ((int)value[0]).ToString("X4", CultureInfo.InvariantCulture) + Quote(value[1..])[1..];
            default:
                return Quote(value);
        }
    }

    private static string Quote(string value)
    {
        var w = new StringBuilder("\"");
        foreach (char c in value)
        {
            w.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or (>= '\x7F' and <= '\x9F') => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return w.Append('"').ToString();
    }

    // ---- Randomness ----

    private bool P(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>An index drawn with the given weights.</summary>
    private int Weighted(params double[] weights)
    {
        double roll = _random.NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private void Shuffle<T>(List<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The file every batch shares: look-alike attributes in other namespaces, a base class and a marker interface.</summary>
    public const string SharedSource = """
        // fuzz: shared declarations
        namespace Decoy
        {
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class SequentialAttribute : System.Attribute
            {
                public SequentialAttribute(params int[] inputShape) => InputShape = inputShape;

                public int[] InputShape { get; }
            }

            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class DenseAttribute(int units) : System.Attribute
            {
                public int Units { get; } = units;
            }

            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class DropoutAttribute(double rate) : System.Attribute
            {
                public double Rate { get; } = rate;
            }

            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class FlattenAttribute : System.Attribute;
        }

        namespace Decoy.NetGen
        {
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class DenseAttribute(int units) : System.Attribute
            {
                public int Units { get; } = units;
            }
        }

        public class FuzzBase;

        public interface IFuzzMarker;
        """;
}
