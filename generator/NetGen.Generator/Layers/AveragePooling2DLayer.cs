using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary>
/// Keras's <c>layers.AveragePooling2D</c>: the mean of each window, per channel (with same padding, padded cells are
/// left out of the count, as Keras); the backward pass spreads each gradient evenly over its window.
/// No parameters.
/// </summary>
internal sealed class AveragePooling2DLayer : PoolingLayer
{
    public override LayerKind Kind => LayerKind.AveragePooling2D;

    public override string AttributeName => "AveragePooling2DAttribute";

    public override string DefaultNameStem => "average_pooling2d";

    protected override PoolingArguments Create(WindowArguments window) => new AveragePooling2DArguments(window);

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        var a = (PoolingArguments)layer.Arguments;
        BufferSpec output = layer.OutputBuffer!;
        string local = ForwardPass.Local(output);
        pass.W.Line("// " + layer.Name + ": AveragePooling2D " + SlidingWindow.Describe(a.Window) + ", (" + layer.InputShape + ") -> (" + layer.OutputShape + "), y = mean of each window");
        pass.W.Line(Span + " " + local + " = " + pass.Slice(output) + ";");
        pass.W.Line(AveragePooling2DKernel + ".Forward(" + pass.Current + ", " + local + ", " + SlidingWindow.Geometry(layer, a.Window) + ", batchSize);");
        pass.Current = local;
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        var a = (PoolingArguments)layer.Arguments;
        pass.W.Line("// " + layer.Name + ": AveragePooling2D backward, each output's gradient shared evenly by its window's cells");
        string inputGradient = pass.NextGradient(layer, layer.InputSize);
        pass.W.Line(AveragePooling2DKernel + ".Backward(gradient, " + inputGradient + ", " + SlidingWindow.Geometry(layer, a.Window) + ", batchSize);");
        pass.W.Line("gradient = " + inputGradient + ";");
    }
}
