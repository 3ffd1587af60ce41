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
        int last = spec.Layers.Count - 1;
        (string kernel, bool fused, string what) = LossKernel(spec);
        string lossField = "_" + Camel(output.Identifier) + (fused || output.Activation == ActivationKind.Linear ? "Z" : "A");
        string lossLocal = lossField.Substring(1);

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
        var locals = new System.Collections.Generic.HashSet<string>();
        Declare(w, locals, lossLocal, Slice(lossField, "batchSize * OutputSize"));
        w.Line(Span + " gradient = " + Slice("_gradientPing", "batchSize * OutputSize") + ";");
        w.Line("float loss = " + kernel + "(" + lossLocal + ", targets, batchSize, gradient, base.SampleWeights);");
        bool inA = true;
        int firstDense = spec.Layers.Count;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i].Kind == LayerKind.Dense)
            {
                firstDense = i;
                break;
            }
        }

        for (int i = last; i >= firstDense; i--)
        {
            LayerSpec layer = spec.Layers[i];
            w.Line();
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    string local = Camel(layer.Identifier);
                    string size = "batchSize * " + Int(layer.OutputSize);
                    bool dzFromLoss = (i == last && fused) || layer.Activation == ActivationKind.Linear;
                    w.Line("// " + layer.Name + ": Dense " + Int(layer.InputSize) + " -> " + Int(layer.OutputSize) + ". "
                        + (dzFromLoss ? "" : "dz = da·f'(z); ") + "dW = xᵀ·dz; db = Σ dz" + (i == firstDense ? "" : "; dx = dz·Wᵀ"));
                    bool fusedBias = !dzFromLoss && ForwardEmitter.FusesBias(layer);
                    if (!dzFromLoss)
                    {
                        // ReLU and LeakyReLU differentiate from z, in the same pass as the bias gradient; sigmoid,
                        // tanh and softmax more cheaply from a.
                        string suffix = fusedBias ? "Z" : "A";
                        Declare(w, locals, local + suffix, Slice("_" + local + suffix, size));
                        w.Line((fusedBias ? FusedDerivativeCall(layer, local + suffix) : DerivativeCall(layer, local + suffix)) + ";");
                    }

                    (string inputLocal, string inputSlice) = OutputLocal(spec, i - 1);
                    Declare(w, locals, inputLocal, inputSlice);
                    w.Line(Gemm + ".MatMulTransA(" + inputLocal + ", gradient, " + layer.Identifier + "KernelGradient, " + Int(layer.InputSize) + ", batchSize, " + Int(layer.OutputSize) + ");");
                    if (!fusedBias)
                    {
                        w.Line(Bias + ".Gradient(gradient, " + layer.Identifier + "BiasGradient, batchSize);");
                    }

                    if (i == firstDense)
                    {
                        w.Line("// The first trainable layer: nothing before it needs an input gradient.");
                        break;
                    }

                    inA = !inA;

                    // Every other local named after a layer ends in Z, A or Output, so this one cannot take their names.
                    string inputGradient = local + "InputGradient";
                    w.Line(Span + " " + inputGradient + " = " + Slice(inA ? "_gradientPing" : "_gradientPong", "batchSize * " + Int(layer.InputSize)) + ";");
                    w.Line(Gemm + ".MatMulTransB(gradient, " + layer.Identifier + "Kernel, " + inputGradient + ", batchSize, " + Int(layer.OutputSize) + ", " + Int(layer.InputSize) + ");");
                    w.Line("gradient = " + inputGradient + ";");
                    break;

                case LayerKind.Dropout when layer.Rate > 0:
                    w.Line("// " + layer.Name + ": Dropout backward, dx = dy ⊙ mask");
                    w.Line(Dropout + ".Backward(gradient, " + Slice("_" + Camel(layer.Identifier) + "Mask", "batchSize * " + Int(layer.OutputSize)) + ", gradient);");
                    break;

                default:
                    w.Line("// " + layer.Name + ": " + layer.Kind + ", the gradient passes through unchanged");
                    break;
            }
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
        ActivationKind activation = spec.OutputLayer.Activation;
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

    /// <summary>
    /// For ReLU and leaky ReLU layers: the in-place call turning da (in <c>gradient</c>) into dz from
    /// <paramref name="z"/>, which also writes the layer's bias gradient.
    /// </summary>
    private static string FusedDerivativeCall(LayerSpec layer, string z) => layer.Activation == ActivationKind.ReLU
        ? BiasActivation + ".ReluBackward(" + z + ", gradient, " + layer.Identifier + "BiasGradient, batchSize)"
        : BiasActivation + ".LeakyReluBackward(" + z + ", gradient, " + Float(layer.Alpha) + ", " + layer.Identifier + "BiasGradient, batchSize)";

    /// <summary>
    /// For the other activations (sigmoid, tanh, softmax): the in-place call turning da (in <c>gradient</c>) into dz,
    /// reading the activation's output (<paramref name="saved"/>).
    /// </summary>
    private static string DerivativeCall(LayerSpec layer, string saved) => layer.Activation switch
    {
        ActivationKind.Sigmoid => Activations + ".SigmoidBackward(" + saved + ", gradient, gradient)",
        ActivationKind.Tanh => Activations + ".TanhBackward(" + saved + ", gradient, gradient)",
        _ => Activations + ".SoftmaxBackward(" + saved + ", gradient, gradient, " + Int(layer.OutputSize) + ")",
    };

    /// <summary>Declares a span local for a saved buffer the first time the backward pass reads it.</summary>
    private static void Declare(SourceWriter w, System.Collections.Generic.HashSet<string> locals, string name, string slice)
    {
        if (locals.Add(name))
        {
            w.Line((name == "x" ? ReadOnlySpan : Span) + " " + name + " = " + slice + ";");
        }
    }
}
