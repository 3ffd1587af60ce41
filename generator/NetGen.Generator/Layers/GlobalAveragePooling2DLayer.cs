using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary><c>[GlobalAveragePooling2D]</c> takes no arguments.</summary>
internal sealed record GlobalAveragePooling2DArguments : LayerArguments;

/// <summary>
/// Keras's <c>layers.GlobalAveragePooling2D</c>: [h, w, c] to [c], each channel's mean over every position, y[c] =
/// (1 / (h·w)) Σ x[i, j, c]; the backward pass spreads each gradient evenly. No parameters.
/// </summary>
internal sealed class GlobalAveragePooling2DLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.GlobalAveragePooling2D;

    public override string AttributeName => "GlobalAveragePooling2DAttribute";

    public override string DefaultNameStem => "global_average_pooling2d";

    // GlobalAveragePooling2DAttribute()
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 0;

    public override LayerArguments Read(AttributeArguments attribute) => Defaults;

    public override LayerArguments Defaults { get; } = new GlobalAveragePooling2DArguments();

    public override void Validate(LayerValidation layer)
    {
        if (!layer.OrderKnown || !layer.ShapeKnown || SlidingWindow.Image(layer) is not { } image)
        {
            layer.LoseShape();
            return;
        }

        layer.Accept([image[2]], null);
    }

    public override void Declare(LayerDeclarations layer) =>
        layer.Buffer("Output", BufferRole.Output, layer.OutputSize, holdsOutput: true, inInference: true);

    public override int InputGradientLength(LayerSpec layer) => layer.InputSize;

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        BufferSpec output = layer.OutputBuffer!;
        string local = ForwardPass.Local(output);
        pass.W.Line("// " + layer.Name + ": GlobalAveragePooling2D, (" + layer.InputShape + ") -> (" + layer.OutputShape + "), y[c] = mean over every position of x[·, ·, c]");
        pass.W.Line(Span + " " + local + " = " + pass.Slice(output) + ";");
        pass.W.Line(GlobalAveragePooling2DKernel + ".Forward(" + pass.Current + ", " + local + ", " + Dimensions(layer) + ", batchSize);");
        pass.Current = local;
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        pass.W.Line("// " + layer.Name + ": GlobalAveragePooling2D backward, dx[i, j, c] = dy[c] / (h·w)");
        string inputGradient = pass.NextGradient(layer, layer.InputSize);
        pass.W.Line(GlobalAveragePooling2DKernel + ".Backward(gradient, " + inputGradient + ", " + Dimensions(layer) + ", batchSize);");
        pass.W.Line("gradient = " + inputGradient + ";");
    }

    /// <summary>The kernels' "pixels, channels" arguments.</summary>
    private static string Dimensions(LayerSpec layer) => Int(layer.InputShape[0] * layer.InputShape[1]) + ", " + Int(layer.InputShape[2]);
}
