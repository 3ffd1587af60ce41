using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes the "network" part of a model: the base class, compile-time constants, the summary, parameter layout and
/// views, construction and initialization, and the activation buffers. Forward and backward passes are in
/// <see cref="ForwardEmitter"/> and <see cref="BackwardEmitter"/>.
/// </summary>
internal static class NetworkEmitter
{
    public static string Emit(NetworkSpec spec)
    {
        var w = new SourceWriter();
        Emitting.OpenType(w, spec, ": " + Network);

        w.Line("/// <summary>Floats in one input sample: shape [" + string.Join(", ", spec.InputShape) + "].</summary>");
        w.Line("public const int InputSize = " + Emitting.Int(spec.InputSize) + ";");
        w.Line();
        w.Line("/// <summary>Floats the network outputs per sample.</summary>");
        w.Line("public const int OutputSize = " + Emitting.Int(spec.OutputSize) + ";");
        w.Line();
        w.Line("/// <summary>Total number of parameters (weights and biases).</summary>");
        w.Line("public const int ParameterCount = " + Emitting.Int(spec.ParameterCount) + ";");
        w.Line();
        w.Line("/// <summary>The Keras-style model summary, built at compile time.</summary>");
        w.Line("public const string Summary =");
        string[] lines = SummaryWriter.Write(spec).Split('\n');
        for (int i = 0; i < lines.Length - 1; i++)
        {
            w.Line("    " + Emitting.Quote(lines[i] + "\n") + (i == lines.Length - 2 ? ";" : " +"));
        }

        w.Line();
        EmitInfo(w, spec);
        w.Line();
        w.Line("private int _capacity;");
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (string field in Emitting.BufferFields(layer))
            {
                w.Line("private float[] " + field + " = " + EmptyArray + ";");
            }
        }

        // The backward pass's two ping-pong buffers. Their names end in neither Z, A, Output nor Mask, so no layer's
        // buffer (_{layer}Z, _{layer}A, _{layer}Output, _{layer}Mask) can take them, whatever the layer is called.
        w.Line("private float[] _gradientPing = " + EmptyArray + ";");
        w.Line("private float[] _gradientPong = " + EmptyArray + ";");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Creates the network with Glorot-uniform kernels and zero biases, random unless <paramref name=\"seed\"/> is given. A");
        w.Line("/// seeded model also seeds every <c>Fit</c> called without a seed of its own (shuffling and dropout), so it trains");
        w.Line("/// the same way on every run.");
        w.Line("/// </summary>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]");
        w.Line("public " + Emitting.Identifier(spec.ClassName) + "(long? seed = null)");
        w.Open("    : base(s_info)");
        w.Line("base.InitializeParameters(seed);");
        w.Close();
        if (!spec.IsAbstract)
        {
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]");
            if (spec.HasUserConstructors)
            {
                // A copy made through the generated constructor would skip the user's, leaving their members unset.
                w.Line("protected override " + Network + " CreateInstance() => throw new global::System.NotSupportedException(" + Emitting.Quote(
                    spec.ClassName + " declares constructors of its own, which Clone cannot run: create the copy with one of them and copy the weights into it (original.Parameters.CopyTo(copy.Parameters)).") + ");");
            }
            else
            {
                w.Line("protected override " + Network + " CreateInstance() => new " + Emitting.Identifier(spec.ClassName) + "(0L); // Clone overwrites its state");
            }
        }

        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind != LayerKind.Dense)
            {
                continue;
            }

            string kernelShape = "[" + Emitting.Int(layer.InputSize) + ", " + Emitting.Int(layer.OutputSize) + "]";
            View(w, layer.Identifier + "Kernel", "base.Parameters", layer.KernelOffset, layer.KernelLength, "The kernel of '" + layer.Name + "', shape " + kernelShape + ", row-major.");
            View(w, layer.Identifier + "Bias", "base.Parameters", layer.BiasOffset, layer.BiasLength, "The bias of '" + layer.Name + "', shape [" + Emitting.Int(layer.OutputSize) + "].");
            View(w, layer.Identifier + "KernelGradient", "base.Gradients", layer.KernelOffset, layer.KernelLength, "The loss gradient for the kernel of '" + layer.Name + "'.");
            View(w, layer.Identifier + "BiasGradient", "base.Gradients", layer.BiasOffset, layer.BiasLength, "The loss gradient for the bias of '" + layer.Name + "'.");
        }

        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind == LayerKind.Normalization)
            {
                string features = "[" + Emitting.Int(layer.OutputSize) + "]";
                View(w, layer.Identifier + "Mean", "base.Parameters", layer.KernelOffset, layer.OutputSize, "The per-feature mean of '" + layer.Name + "', shape " + features + ", set by Adapt (non-trainable).");
                View(w, layer.Identifier + "Variance", "base.Parameters", layer.BiasOffset, layer.OutputSize, "The per-feature variance of '" + layer.Name + "', shape " + features + ", set by Adapt (non-trainable).");
                View(w, layer.Identifier + "Count", "base.Parameters", layer.BiasOffset + layer.OutputSize, 1, "The number of samples '" + layer.Name + "' was adapted to (non-trainable).");
            }
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]");
        w.Open("protected override void InitializeParameters(" + Rng + " rng)");
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind == LayerKind.Dense)
            {
                w.Line(Initializers + ".GlorotUniform(" + layer.Identifier + "Kernel, " + Emitting.Int(layer.InputSize) + ", " + Emitting.Int(layer.OutputSize) + ", rng);");
            }
            else if (layer.Kind == LayerKind.Normalization)
            {
                w.Line(layer.Identifier + "Variance.Fill(1f); // the identity until Adapt measures the data");
            }
        }

        w.Close();
        w.Line();
        w.Line("/// <summary>Grows the activation buffers to hold <paramref name=\"batchSize\"/> samples; after the first call at a size it allocates nothing.</summary>");
        w.Open("private void EnsureCapacity(int batchSize)");
        w.Open("if (batchSize <= _capacity)");
        w.Line("return;");
        w.Close();
        w.Line();
        // Gradients are only as wide as the loss gradient and the input gradients of Dense layers after the first.
        int widest = spec.OutputSize;
        bool afterFirstDense = false;
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (string field in Emitting.BufferFields(layer))
            {
                w.Line(field + " = new float[batchSize * " + Emitting.Int(layer.OutputSize) + "];");
            }

            if (layer.Kind == LayerKind.Dense)
            {
                widest = afterFirstDense ? System.Math.Max(widest, layer.InputSize) : widest;
                afterFirstDense = true;
            }
        }

        w.Line("_gradientPing = new float[batchSize * " + Emitting.Int(widest) + "];");
        w.Line("_gradientPong = new float[batchSize * " + Emitting.Int(widest) + "];");
        w.Line("_capacity = batchSize;");
        w.Close();
        Emitting.CloseType(w, spec);
        return w.ToString();
    }

    /// <summary>
    /// A span over part of NetGen.Network's <paramref name="buffer"/>, written <c>base.Parameters</c>: the model class
    /// may declare a member of the same name (<c>new int[] Parameters</c>) that would capture an unqualified one.
    /// </summary>
    private static void View(SourceWriter w, string name, string buffer, int offset, int length, string doc)
    {
        w.Line();
        w.Line("/// <summary>" + doc + "</summary>");
        w.Line("public " + Span + " " + name + " => " + buffer + ".Slice(" + Emitting.Int(offset) + ", " + Emitting.Int(length) + ");");
    }

    private static void EmitInfo(SourceWriter w, NetworkSpec spec)
    {
        w.Line("private static readonly " + NetworkInfo + " s_info = new " + NetworkInfo + "(");
        w.Line("    \"" + spec.ClassName + "\",");
        w.Line("    new int[] { " + string.Join(", ", spec.InputShape) + " },");
        w.Line("    OutputSize,");
        w.Line("    " + LossEnum + "." + spec.Loss + ",");
        w.Line("    " + ActivationEnum + "." + spec.OutputLayer.Activation + ",");
        w.Line("    new " + LayerInfo + "[]");
        w.Line("    {");
        foreach (LayerSpec layer in spec.Layers)
        {
            w.Line("        new " + LayerInfo + "(" + Emitting.Quote(layer.Name) + ", " + LayerKindEnum + "." + layer.Kind + ", " + Emitting.Int(layer.InputSize)
                + ", new int[] { " + string.Join(", ", layer.OutputShape) + " }, " + ActivationEnum + "." + layer.Activation + ", " + Emitting.Float(layer.Alpha)
                + ", " + Emitting.Float(layer.Rate) + ", " + Emitting.Int(layer.KernelOffset) + ", " + Emitting.Int(layer.ParameterCount) + "),");
        }

        w.Line("    },");
        w.Line("    new " + TensorInfo + "[]");
        w.Line("    {");
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind == LayerKind.Dense)
            {
                w.Line("        new " + TensorInfo + "(" + Emitting.Quote(layer.Name + ".kernel") + ", new int[] { " + Emitting.Int(layer.InputSize) + ", " + Emitting.Int(layer.OutputSize)
                    + " }, " + Emitting.Int(layer.KernelOffset) + ", " + Emitting.Int(layer.KernelLength) + ", true"
                    + (layer.KernelL2 == 0 ? "" : ", " + Emitting.Float(layer.KernelL2)) + "),");
                w.Line("        new " + TensorInfo + "(" + Emitting.Quote(layer.Name + ".bias") + ", new int[] { " + Emitting.Int(layer.OutputSize)
                    + " }, " + Emitting.Int(layer.BiasOffset) + ", " + Emitting.Int(layer.BiasLength) + ", true),");
            }
        }

        // Non-trainable statistics last, in buffer order.
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind == LayerKind.Normalization)
            {
                string features = Emitting.Int(layer.OutputSize);
                w.Line("        new " + TensorInfo + "(" + Emitting.Quote(layer.Name + ".mean") + ", new int[] { " + features + " }, " + Emitting.Int(layer.KernelOffset) + ", " + features + ", false),");
                w.Line("        new " + TensorInfo + "(" + Emitting.Quote(layer.Name + ".variance") + ", new int[] { " + features + " }, " + Emitting.Int(layer.BiasOffset) + ", " + features + ", false),");
                w.Line("        new " + TensorInfo + "(" + Emitting.Quote(layer.Name + ".count") + ", new int[] { 1 }, " + Emitting.Int(layer.BiasOffset + layer.OutputSize) + ", 1, false),");
            }
        }

        w.Line("    },");
        w.Line("    Summary);");
    }
}

/// <summary>What the three emitters share: the type's wrapper, buffer naming, and literal formatting.</summary>
internal static class Emitting
{
    public static readonly string Version = typeof(Emitting).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void OpenType(SourceWriter w, NetworkSpec spec, string? baseList = null) =>
        OpenType(w, spec.Namespace, spec.ContainingTypes, spec.ClassName, baseList);

    /// <summary>The file's header, namespace and the model's partial declaration, nested in its containing types.</summary>
    public static void OpenType(SourceWriter w, string ns, EquatableArray<ContainingType> containingTypes, string className, string? baseList)
    {
        w.Line("// <auto-generated/>");
        w.Line("#nullable enable");
        w.Line();
        if (ns.Length > 0)
        {
            w.Line("namespace " + NamespaceName(ns) + ";");
            w.Line();
        }

        foreach (ContainingType outer in containingTypes)
        {
            w.Open("partial " + outer.Keyword + " " + Identifier(outer.Name));
        }

        w.Open("partial class " + Identifier(className) + (baseList is null ? string.Empty : " " + baseList));
    }

    public static void CloseType(SourceWriter w, NetworkSpec spec) => CloseType(w, spec.ContainingTypes.Count);

    /// <summary>Closes the model's declaration and its <paramref name="containingTypes"/> containing types.</summary>
    public static void CloseType(SourceWriter w, int containingTypes)
    {
        w.Close();
        for (int i = 0; i < containingTypes; i++)
        {
            w.Close();
        }
    }

    /// <summary>The per-batch buffers a layer owns (see <see cref="GeneratedMembers.Buffers"/>).</summary>
    public static IEnumerable<string> BufferFields(LayerSpec layer) =>
        GeneratedMembers.Buffers(layer.Kind, layer.Activation, layer.Rate, layer.Identifier);

    /// <summary>
    /// The local name and buffer slice of layer <paramref name="index"/>'s output in the state a training forward pass
    /// leaves (index −1 is the network input, <c>x</c>). Flatten and a zero-rate Dropout alias their input; a linear
    /// Dense's output is its pre-activation.
    /// </summary>
    public static (string Local, string Slice) OutputLocal(NetworkSpec spec, int index)
    {
        for (; index >= 0; index--)
        {
            LayerSpec layer = spec.Layers[index];
            string stem = "_" + Camel(layer.Identifier);
            string size = "batchSize * " + Int(layer.OutputSize);
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    string suffix = layer.Activation == ActivationKind.Linear ? "Z" : "A";
                    return (stem.Substring(1) + suffix, Slice(stem + suffix, size));
                case LayerKind.Dropout when layer.Rate > 0:
                case LayerKind.Normalization:
                    return (stem.Substring(1) + "Output", Slice(stem + "Output", size));
            }
        }

        return ("x", "inputs.Slice(0, batchSize * InputSize)");
    }

    /// <summary>The first <paramref name="length"/> floats of a buffer field, as a span.</summary>
    public static string Slice(string field, string length) => "new " + Span + "(" + field + ", 0, " + length + ")";

    /// <summary>Keras's name for an activation (<c>leaky_relu</c>, not <c>LeakyReLU</c>), for comments and the summary.</summary>
    public static string KerasName(ActivationKind activation) => activation switch
    {
        ActivationKind.LeakyReLU => "leaky_relu",
        ActivationKind.ReLU => "relu",
        _ => activation.ToString().ToLowerInvariant(),
    };

    /// <summary>A double as a C#-free literal for comments: 0.3, not 0.3f.</summary>
    public static string Number(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A type or namespace name as C# source, '@'-escaped when it is a keyword (<c>@class</c>), a contextual keyword
    /// (<c>@file</c>, <c>@record</c>, <c>@var</c>: errors or warnings as type names) or lowercase ASCII letters only,
    /// the names C# reserves for future keywords (CS8981), so a newer compiler's keywords are covered too.
    /// The '@' is legal before any identifier and changes nothing else.
    /// </summary>
    public static string Identifier(string name)
    {
        name = name.TrimStart('@');
        bool reserved = SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None;
        if (!reserved)
        {
            reserved = name.Length > 0;
            foreach (char c in name)
            {
                reserved &= c is >= 'a' and <= 'z';
            }
        }

        return reserved ? "@" + name : name;
    }

    /// <summary>A dotted namespace as C# source, each part escaped like <see cref="Identifier"/>.</summary>
    public static string NamespaceName(string name)
    {
        string[] parts = name.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Identifier(parts[i]);
        }

        return string.Join(".", parts);
    }

    public static string Camel(string identifier) => char.ToLowerInvariant(identifier[0]) + identifier.Substring(1);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Float(double value)
    {
        // An alpha beyond float's range (1e39) is +∞ as a float, which has no literal.
        float single = (float)value;
        if (float.IsInfinity(single) || float.IsNaN(single))
        {
            return float.IsNaN(single) ? "float.NaN" : single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        string text = single.ToString("R", CultureInfo.InvariantCulture);
        return (text.IndexOf('.') < 0 && text.IndexOf('E') < 0 ? text + ".0" : text) + "f";
    }

    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
