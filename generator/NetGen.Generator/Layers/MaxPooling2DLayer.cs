using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary>
/// Keras's <c>layers.MaxPooling2D</c>: the largest value of each window, per channel; the training pass keeps each
/// output's winner (its flat input index) for the backward pass, which routes each gradient to it. In inference the
/// winners go to the caller's scratch, read as ints.
/// No parameters.
/// </summary>
internal sealed class MaxPooling2DLayer : PoolingLayer
{
    public override LayerKind Kind => LayerKind.MaxPooling2D;

    public override string AttributeName => "MaxPooling2DAttribute";

    public override string DefaultNameStem => "max_pooling2d";

    protected override PoolingArguments Create(WindowArguments window) => new MaxPooling2DArguments(window);

    public override void Declare(LayerDeclarations layer)
    {
        base.Declare(layer);
        layer.Buffer("Argmax", BufferRole.Saved, layer.OutputSize, isInt: true);

        // Inference keeps no int buffers of its own: the winners go to float scratch read as ints (same size).
        layer.SharedScratch(ArgmaxScratch, layer.OutputSize, perSample: true, inInference: true);
    }

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        var a = (PoolingArguments)layer.Arguments;
        BufferSpec output = layer.OutputBuffer!;
        string local = ForwardPass.Local(output);
        pass.W.Line("// " + layer.Name + ": MaxPooling2D " + SlidingWindow.Describe(a.Window) + ", (" + layer.InputShape + ") -> (" + layer.OutputShape + "), y = max over each window");
        pass.W.Line(Span + " " + local + " = " + pass.Slice(output) + ";");
        string argmax = pass.Training
            ? Argmax(layer)
            : MemoryMarshal + ".Cast<float, int>(" + pass.Slice(layer.Buffer(BufferRole.Scratch)!) + ")";
        pass.W.Line(MaxPooling2DKernel + ".Forward(" + pass.Current + ", " + local + ", " + argmax + ", " + SlidingWindow.Geometry(layer, a.Window) + ", batchSize);");
        pass.Current = local;
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        var a = (PoolingArguments)layer.Arguments;
        pass.W.Line("// " + layer.Name + ": MaxPooling2D backward, each output's gradient to its window's winner");
        string inputGradient = pass.NextGradient(layer, layer.InputSize);
        pass.W.Line(MaxPooling2DKernel + ".Backward(gradient, " + Argmax(layer) + ", " + inputGradient + ", " + SlidingWindow.Geometry(layer, a.Window) + ", batchSize);");
        pass.W.Line("gradient = " + inputGradient + ";");
    }

    /// <summary>The scratch the inference pass reads the winners into, shared by every max pooling layer.</summary>
    private const string ArgmaxScratch = "_poolingArgmaxScratch";

    /// <summary>The training pass's winners, kept for the backward pass (also read by the fused Conv2D pairs).</summary>
    internal static string Argmax(LayerSpec layer)
    {
        BufferSpec argmax = layer.Buffer(BufferRole.Saved)!;
        return "new " + IntSpan + "(" + argmax.Field + ", 0, " + ForwardPass.Length(argmax) + ")";
    }
}
