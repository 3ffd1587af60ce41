using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>Writes the forward pass: one block per layer, every size a literal, products through the runtime GEMM and element-wise math through TensorPrimitives-backed kernels.</summary>
internal static class ForwardEmitter
{
    public static string Emit(NetworkSpec spec)
    {
        var w = new SourceWriter();
        OpenType(w, spec);
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]");
        w.Line("[" + AggressiveOptimization + "]");
        w.Open("protected override " + ReadOnlySpan + " ForwardCore(" + ReadOnlySpan + " inputs, int batchSize, bool training)");
        w.Line("EnsureCapacity(batchSize);");
        Pass(w, spec, scratch: null);
        w.Close();
        w.Line();

        // The same layers again, for inference from any thread: the buffers are slices of the caller's scratch.
        InferenceScratch scratch = InferenceScratch.For(spec);
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]");
        w.Line("protected override int InferenceScratchPerSample => " + Int(scratch.FloatsPerSample) + ";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]");
        w.Line("[" + AggressiveOptimization + "]");
        w.Open("protected override " + ReadOnlySpan + " InferCore(" + ReadOnlySpan + " inputs, int batchSize, " + Span + " scratch)");
        Pass(w, spec, scratch);
        w.Close();
        CloseType(w, spec);
        return w.ToString();
    }

    /// <summary>
    /// The body of a forward pass: into the model's training buffers, or, with <paramref name="scratch"/>, into the
    /// caller's scratch in inference mode (Dropout is then the identity). Both call the same kernels on the same sizes,
    /// so they give the same bits.
    /// </summary>
    private static void Pass(SourceWriter w, NetworkSpec spec, InferenceScratch? scratch)
    {
        string Buffer(string field, string size) => scratch is null ? Slice(field, size) : scratch.Slice(field, size);

        string current = "x";
        w.Line(ReadOnlySpan + " x = inputs.Slice(0, batchSize * InputSize);");
        foreach (LayerSpec layer in spec.Layers)
        {
            w.Line();
            string local = Camel(layer.Identifier);
            string size = "batchSize * " + Int(layer.OutputSize);
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    w.Line("// " + layer.Name + ": Dense " + Int(layer.InputSize) + " -> " + Int(layer.OutputSize) + ", z = " + current + "·W + b" + ActivationComment(layer));
                    w.Line(Span + " " + local + "Z = " + Buffer("_" + local + "Z", size) + ";");
                    w.Line(Gemm + ".MatMul(" + current + ", " + layer.Identifier + "Kernel, " + local + "Z, batchSize, " + Int(layer.InputSize) + ", " + Int(layer.OutputSize) + ");");
                    if (FusesBias(layer))
                    {
                        // Bias and activation in one pass over the batch (the same bits as two).
                        w.Line(Span + " " + local + "A = " + Buffer("_" + local + "A", size) + ";");
                        w.Line(FusedCall(layer, local + "Z", layer.Identifier + "Bias", local + "A") + ";");
                        current = local + "A";
                        break;
                    }

                    w.Line(Bias + ".AddToRows(" + local + "Z, " + layer.Identifier + "Bias, batchSize);");
                    if (layer.Activation == ActivationKind.Linear)
                    {
                        current = local + "Z";
                        break;
                    }

                    w.Line(Span + " " + local + "A = " + Buffer("_" + local + "A", size) + ";");
                    w.Line(ActivationCall(layer, local + "Z", local + "A") + ";");
                    current = local + "A";
                    break;

                case LayerKind.Dropout when layer.Rate > 0 && scratch is not null:
                    w.Line("// " + layer.Name + ": Dropout(" + Number(layer.Rate) + "), the identity in inference");
                    break;

                case LayerKind.Dropout when layer.Rate > 0:
                    w.Line("// " + layer.Name + ": Dropout(" + Number(layer.Rate) + "), active only in training");
                    w.Line(ReadOnlySpan + " " + local + "Output = " + current + ";");
                    w.Open("if (training)");
                    w.Line(Span + " dropped = " + Slice("_" + local + "Output", size) + ";");
                    w.Line(Dropout + ".Forward(" + current + ", dropped, " + Slice("_" + local + "Mask", size) + ", " + Float(layer.Rate) + ", base.TrainingRng);");
                    w.Line(local + "Output = dropped;");
                    w.Close();
                    current = local + "Output";
                    break;

                case LayerKind.Dropout:
                    w.Line("// " + layer.Name + ": Dropout(0), the identity");
                    break;

                case LayerKind.Normalization:
                    w.Line("// " + layer.Name + ": Normalization of " + Int(layer.OutputSize) + " features, y = (x − mean) / max(√variance, 1e-7)");
                    w.Line(Span + " " + local + "Output = " + Buffer("_" + local + "Output", size) + ";");
                    w.Line(KnownTypes.Normalization + ".Forward(" + current + ", " + layer.Identifier + "Mean, " + layer.Identifier + "Variance, " + local + "Output);");
                    current = local + "Output";
                    break;

                default:
                    w.Line("// " + layer.Name + ": " + layer.Kind + " to (" + string.Join(", ", layer.OutputShape) + "), free: samples are already stored row-major");
                    break;
            }
        }

        w.Line();
        w.Line("return " + current + ";");
    }

    private static string ActivationComment(LayerSpec layer) => layer.Activation switch
    {
        ActivationKind.Linear => "",
        ActivationKind.LeakyReLU => ", a = leaky_relu(z, " + Number(layer.Alpha) + ")",
        _ => ", a = " + KerasName(layer.Activation) + "(z)",
    };

    /// <summary>ReLU and leaky ReLU layers add their bias and apply the activation in one fused pass.</summary>
    internal static bool FusesBias(LayerSpec layer) => layer.Activation is ActivationKind.ReLU or ActivationKind.LeakyReLU;

    private static string FusedCall(LayerSpec layer, string z, string bias, string a) => layer.Activation == ActivationKind.ReLU
        ? BiasActivation + ".AddBiasRelu(" + z + ", " + bias + ", " + a + ", batchSize)"
        : BiasActivation + ".AddBiasLeakyRelu(" + z + ", " + bias + ", " + Float(layer.Alpha) + ", " + a + ", batchSize)";

    /// <summary>The activation of a layer that does not fuse it with its bias (sigmoid, tanh, softmax).</summary>
    private static string ActivationCall(LayerSpec layer, string z, string a) => layer.Activation switch
    {
        ActivationKind.Sigmoid => Activations + ".Sigmoid(" + z + ", " + a + ")",
        ActivationKind.Tanh => Activations + ".Tanh(" + z + ", " + a + ")",
        _ => Activations + ".Softmax(" + z + ", " + a + ", " + Int(layer.OutputSize) + ")",
    };
}
