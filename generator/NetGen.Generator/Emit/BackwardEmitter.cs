using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes the loss and the backward pass. The output activation is fused into the loss where that is the stable
/// form (sigmoid + binary cross-entropy, softmax + categorical cross-entropy); gradients then flow layer by layer
/// through two ping-pong buffers, each activation's derivative applied in place.
/// </summary>
internal static class BackwardEmitter
{
    public static string Emit(NetworkSpec spec)
    {
        var w = new SourceWriter();
        OpenType(w, spec);
        LayerSpec output = spec.OutputLayer;
        (string kernel, bool fused, string what) = LossKernel(spec);

        // A fused loss reads the output layer's logits; any other its output.
        BufferSpec lossBuffer = (fused ? output.Buffer(BufferRole.PreActivation) : output.OutputBuffer)!;
        string lossField = lossBuffer.Field;
        string lossLocal = ForwardPass.Local(lossBuffer);

        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]");
        w.Line("[" + AggressiveOptimization + "]");
        w.Open("protected override float ComputeLossCore(" + ReadOnlySpan + " targets, int batchSize)");
        w.Line("// " + what);
        w.Line("return " + kernel + "(" + Slice(lossField, "batchSize * OutputSize") + ", targets, batchSize, gradient: default, sampleWeights: base.SampleWeights);");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]");
        w.Open("protected override float InferenceLossCore(" + ReadOnlySpan + " scratch, " + ReadOnlySpan + " targets, int batchSize, " + ReadOnlySpan + " sampleWeights)");
        w.Line("// The same loss, of the outputs InferCore left in scratch; the weights come with the call, not from the model.");
        w.Line("return " + kernel + "(" + InferenceScratch.For(spec).Slice(lossField, "batchSize * OutputSize") + ", targets, batchSize, gradient: default, sampleWeights: sampleWeights);");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]");
        w.Line("[" + AggressiveOptimization + "]");
        w.Open("protected override float BackwardCore(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, int batchSize)");
        w.Line("// " + what);
        var pass = new BackwardPass(w, spec, fused);
        pass.Declare(lossLocal, Slice(lossField, "batchSize * OutputSize"));
        w.Line(Span + " gradient = " + Slice("_gradientPing", "batchSize * OutputSize") + ";");
        w.Line("float loss = " + kernel + "(" + lossLocal + ", targets, batchSize, gradient, base.SampleWeights);");

        // Down to the first layer with trainable tensors: nothing before it needs a gradient.
        for (int i = spec.Layers.Count - 1; i >= pass.FirstTrainable; i--)
        {
            LayerSpec layer = spec.Layers[i];
            w.Line();
            if (i >= 1 && Conv2DMaxPoolingPair.At(spec, i - 1))
            {
                pass.Index = --i;
                Conv2DMaxPoolingPair.EmitBackward(pass, spec.Layers[i], layer);
                continue;
            }

            if (i >= 1 && Conv2DMaxPoolingBackward.At(spec, i - 1))
            {
                pass.Index = --i;
                Conv2DMaxPoolingBackward.Emit(pass, spec.Layers[i], layer);
                continue;
            }

            pass.Index = i;
            layer.Descriptor.EmitBackward(pass, layer);
        }

        w.Line();
        w.Line("return loss;");
        w.Close();
        CloseType(w, spec);
        return w.ToString();
    }

    /// <summary>The loss kernel, whether it takes the output layer's logits (the activation fused in), and a comment saying which.</summary>
    private static (string Kernel, bool Fused, string What) LossKernel(NetworkSpec spec)
    {
        ActivationKind activation = spec.OutputLayer.Descriptor.Head(spec.OutputLayer.Arguments)!.Activation;
        return (spec.Loss, activation) switch
        {
            (LossKind.BinaryCrossEntropy, ActivationKind.Sigmoid) =>
                (Losses + ".BinaryCrossEntropy.FromLogits", true, "Binary cross-entropy fused with the output sigmoid: computed from the logits, gradient dz = (σ(z) − t) / N, N = batch · outputs."),
            (LossKind.CategoricalCrossEntropy, ActivationKind.Softmax) =>
                (Losses + ".CategoricalCrossEntropy.FromLogits", true, "Categorical cross-entropy fused with the output softmax (log-sum-exp): dz = (softmax(z) − t) / batch."),
            (LossKind.SparseCategoricalCrossEntropy, ActivationKind.Softmax) =>
                (Losses + ".SparseCategoricalCrossEntropy.FromLogits", true, "Sparse categorical cross-entropy fused with the output softmax (log-sum-exp): dz = (softmax(z) − onehot(label)) / batch."),
            (LossKind.BinaryCrossEntropy, _) => (Losses + ".BinaryCrossEntropy.FromProbabilities", false, "Binary cross-entropy on the output probabilities (clipped to [1e-7, 1 − 1e-7])."),
            (LossKind.CategoricalCrossEntropy, _) => (Losses + ".CategoricalCrossEntropy.FromProbabilities", false, "Categorical cross-entropy on the output probabilities (clipped)."),
            (LossKind.SparseCategoricalCrossEntropy, _) => (Losses + ".SparseCategoricalCrossEntropy.FromProbabilities", false, "Sparse categorical cross-entropy on the output probabilities (clipped)."),
            (LossKind.MeanAbsoluteError, _) => (Losses + ".MeanAbsoluteError.Compute", false, "Mean absolute error over every output."),
            _ => (Losses + ".MeanSquaredError.Compute", false, "Mean squared error over every output."),
        };
    }
}
