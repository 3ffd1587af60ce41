using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary>
/// Keras's <c>layers.AveragePooling2D</c>: the mean of each window, per channel (with same padding, padded cells are
/// left out of the count, as Keras); the backward pass spreads each gradient evenly over its window.
/// No parameters.
/// </summary>
internal sealed class AveragePooling2DLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.AveragePooling2D;

    public override string AttributeName => "AveragePooling2DAttribute";

    public override string DefaultNameStem => "average_pooling2d";

    // AveragePooling2DAttribute(int poolSize = 2 | int[] poolSize)
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 1 && SlidingWindow.IsSize(parameters[0].Type);

    public override bool PropertyMatches(string property, ITypeSymbol type) => SlidingWindow.PropertyMatches(property, type);

    public override LayerArguments Read(AttributeArguments attribute) => new AveragePooling2DArguments(SlidingWindow.Read(attribute, 0, "poolSize", strideDefaultsToSize: true));

    public override LayerArguments Defaults { get; } = new AveragePooling2DArguments(
        new WindowArguments(new[] { 2 }.ToEquatableArray(), "poolSize", null, null, null, PaddingKind.Valid, true, false));

    public override void Validate(LayerValidation layer)
    {
        var a = (PoolingArguments)layer.Arguments;
        if (!SlidingWindow.Check(layer, a.Window) || !layer.OrderKnown || !layer.ShapeKnown
            || SlidingWindow.Image(layer) is not { } image
            || SlidingWindow.Output(layer, a.Window, image, image[2]) is not { } output)
        {
            layer.LoseShape();
            return;
        }

        SlidingWindow.TooManyActivations(layer, output);
        layer.Accept(output, null);
    }

    public override void Declare(LayerDeclarations layer)
    {
        layer.Buffer("Output", BufferRole.Output, layer.OutputSize, holdsOutput: true, inInference: true);
    }

    public override string? InfoProperties(LayerSpec layer) => "Window = " + SlidingWindow.Geometry(layer, ((PoolingArguments)layer.Arguments).Window);

    public override int InputGradientLength(LayerSpec layer) => layer.InputSize;

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
