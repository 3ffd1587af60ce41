using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes the forward pass: one block per layer, each written by the layer's descriptor, every size a literal,
/// products through the runtime GEMM and element-wise math through TensorPrimitives-backed kernels.
/// </summary>
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
        Pass(new ForwardPass(w, spec, scratch: null));
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
        Pass(new ForwardPass(w, spec, scratch));
        w.Close();
        CloseType(w, spec);
        return w.ToString();
    }

    /// <summary>The body of a forward pass: the input, each layer's block, and the last layer's output.</summary>
    private static void Pass(ForwardPass pass)
    {
        pass.W.Line(ReadOnlySpan + " x = inputs.Slice(0, batchSize * InputSize);");
        for (int i = 0; i < pass.Spec.Layers.Count; i++)
        {
            LayerSpec layer = pass.Spec.Layers[i];
            pass.W.Line();
            if (Conv2DMaxPoolingPair.At(pass.Spec, i))
            {
                Conv2DMaxPoolingPair.EmitForward(pass, layer, pass.Spec.Layers[++i]);
                continue;
            }

            layer.Descriptor.EmitForward(pass, layer);
        }

        pass.W.Line();
        pass.W.Line("return " + pass.Current + ";");
    }
}
