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
        foreach (BufferSpec buffer in Buffers(spec))
        {
            w.Line("private " + (buffer.IsInt ? "int" : "float") + "[] " + buffer.Field + " = " + (buffer.IsInt ? EmptyIntArray : EmptyArray) + ";");
        }

        // The backward pass's two ping-pong buffers. Their names end in neither Z, A, Output nor Mask, so no layer's
        // buffer (_{layer}Z, _{layer}A, _{layer}Output, _{layer}Mask) can take them, whatever the layer is called.
        w.Line("private float[] _gradientPing = " + EmptyArray + ";");
        w.Line("private float[] _gradientPong = " + EmptyArray + ";");
        w.Line();
        w.Block($$"""
            /// <summary>
            /// Creates the network with Glorot-uniform kernels and zero biases, random unless <paramref name="seed"/> is given. A
            /// seeded model also seeds every <c>Fit</c> called without a seed of its own (shuffling and dropout), so it trains
            /// the same way on every run.
            /// </summary>
            [{{GeneratedCode}}("NetGen", "{{Emitting.Version}}")]
            public {{Emitting.Identifier(spec.ClassName)}}(long? seed = null)
                : base(s_info)
            {
                base.InitializeParameters(seed);
            }
            """);
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

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]");
        w.Line("protected override int WidestActivation => " + Emitting.Int(WidestActivation(spec)) + ";");
        if (System.Linq.Enumerable.Any(spec.Layers, l => l.Descriptor.WritesTensorsInTraining))
        {
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]");
            w.Line("protected override bool TrainingForwardWritesWeights => true;");
        }

        // The views: each layer's trainable tensors and their gradients, then the non-trainable ones, in buffer order.
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (TensorSpec tensor in layer.Tensors)
            {
                if (tensor.Trainable)
                {
                    View(w, tensor.Member, "base.Parameters", tensor.Offset, tensor.Length, tensor.Doc);
                }
            }

            foreach (TensorSpec tensor in layer.Tensors)
            {
                if (tensor.Trainable)
                {
                    View(w, tensor.GradientMember, "base.Gradients", tensor.Offset, tensor.Length, "The loss gradient for the " + tensor.Role + " of '" + layer.Name + "'.");
                }
            }
        }

        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (TensorSpec tensor in layer.Tensors)
            {
                if (!tensor.Trainable)
                {
                    View(w, tensor.Member, "base.Parameters", tensor.Offset, tensor.Length, tensor.Doc);
                }
            }
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]");
        w.Open("protected override void InitializeParameters(" + Rng + " rng)");
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (TensorSpec tensor in layer.Tensors)
            {
                switch (tensor.Initializer)
                {
                    case Initializer.GlorotUniform:
                        w.Line(Initializers + ".GlorotUniform(" + tensor.Member + ", " + Emitting.Int(tensor.FanIn) + ", " + Emitting.Int(tensor.FanOut) + ", rng);");
                        break;
                    case Initializer.Ones:
                        w.Line(tensor.Member + ".Fill(1f);" + (tensor.InitializerNote is { } note ? " // " + note : string.Empty));
                        break;
                    case Initializer.Zeros:
                        break; // the buffer was cleared
                }
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
        foreach (BufferSpec buffer in Buffers(spec))
        {
            w.Line(buffer.Field + " = new " + (buffer.IsInt ? "int" : "float") + "[" + ForwardPass.Length(buffer) + "];");
        }

        // The gradient buffers hold the loss gradient and every input gradient a layer writes afresh (the first
        // trainable layer writes none).
        int widest = spec.OutputSize;
        for (int i = spec.FirstTrainableLayer + 1; i < spec.Layers.Count; i++)
        {
            widest = System.Math.Max(widest, spec.Layers[i].Descriptor.InputGradientLength(spec.Layers[i]));
        }

        w.Line("_gradientPing = new float[batchSize * " + Emitting.Int(widest) + "];");
        w.Line("_gradientPong = new float[batchSize * " + Emitting.Int(widest) + "];");
        w.Line("_capacity = batchSize;");
        w.Close();
        var members = new MemberWriter(w, spec);
        foreach (LayerSpec layer in spec.Layers)
        {
            layer.Descriptor.EmitMembers(members, layer);
        }

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

    /// <summary>Floats per sample of the widest buffer the inference pass writes (at least 1), which sizes the runtime's prediction chunks.</summary>
    private static int WidestActivation(NetworkSpec spec)
    {
        int widest = 1;
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (BufferSpec buffer in layer.Buffers)
            {
                if (buffer.InInference && buffer.PerSample)
                {
                    widest = System.Math.Max(widest, buffer.Length);
                }
            }
        }

        return widest;
    }

    /// <summary>Every layer's buffers, in layer order, a shared one once (as long as the longest asks for it).</summary>
    private static List<BufferSpec> Buffers(NetworkSpec spec)
    {
        var buffers = new List<BufferSpec>();
        var shared = new Dictionary<string, int>();
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (BufferSpec buffer in layer.Buffers)
            {
                if (!buffer.Shared)
                {
                    buffers.Add(buffer);
                }
                else if (shared.TryGetValue(buffer.Field, out int at))
                {
                    buffers[at] = buffers[at] with { Length = System.Math.Max(buffers[at].Length, buffer.Length) };
                }
                else
                {
                    shared[buffer.Field] = buffers.Count;
                    buffers.Add(buffer);
                }
            }
        }

        return buffers;
    }

    private static void EmitInfo(SourceWriter w, NetworkSpec spec)
    {
        w.Line("private static readonly " + NetworkInfo + " s_info = new " + NetworkInfo + "(");
        w.Line("    \"" + spec.ClassName + "\",");
        w.Line("    new int[] { " + string.Join(", ", spec.InputShape) + " },");
        w.Line("    OutputSize,");
        w.Line("    " + LossEnum + "." + spec.Loss + ",");
        w.Line("    " + ActivationEnum + "." + spec.OutputLayer.Descriptor.InfoFields(spec.OutputLayer.Arguments).Activation + ",");
        w.Line("    new " + LayerInfo + "[]");
        w.Line("    {");
        foreach (LayerSpec layer in spec.Layers)
        {
            (ActivationKind activation, double alpha, double rate) = layer.Descriptor.InfoFields(layer.Arguments);
            string? properties = layer.Descriptor.InfoProperties(layer);
            w.Line("        new " + LayerInfo + "(" + Emitting.Quote(layer.Name) + ", " + LayerKindEnum + "." + layer.Kind + ", " + Emitting.Int(layer.InputSize)
                + ", new int[] { " + layer.OutputShape + " }, " + ActivationEnum + "." + activation + ", " + Emitting.Float(alpha)
                + ", " + Emitting.Float(rate) + ", " + Emitting.Int(layer.ParameterOffset) + ", " + Emitting.Int(layer.ParameterCount)
                + ") { InputShape = new int[] { " + layer.InputShape + " }" + (properties is null ? string.Empty : ", " + properties) + " },");
        }

        w.Line("    },");
        w.Line("    new " + TensorInfo + "[]");
        w.Line("    {");

        foreach ((string name, TensorSpec tensor) in spec.TensorsInBufferOrder())
        {
            w.Line("        new " + TensorInfo + "(" + Emitting.Quote(name) + ", new int[] { " + tensor.Shape + " }, "
                + Emitting.Int(tensor.Offset) + ", " + Emitting.Int(tensor.Length) + ", " + (tensor.Trainable ? "true" : "false")
                + (tensor.L2 == 0 ? "" : ", " + Emitting.Float(tensor.L2)) + "),");
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
