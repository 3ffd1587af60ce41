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
/// Keras's <c>layers.MaxPooling2D</c>: the largest value of each window, per channel; the training pass keeps each
/// output's winner (its flat input index) for the backward pass, which routes each gradient to it. In inference the
/// winners go to the caller's scratch, read as ints.
/// No parameters.
/// </summary>
internal sealed class MaxPooling2DLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.MaxPooling2D;

    public override string AttributeName => "MaxPooling2DAttribute";

    public override string DefaultNameStem => "max_pooling2d";

    // MaxPooling2DAttribute(int poolSize = 2 | int[] poolSize)
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 1 && SlidingWindow.IsSize(parameters[0].Type);

    public override bool PropertyMatches(string property, ITypeSymbol type) => SlidingWindow.PropertyMatches(property, type);

    public override LayerArguments Read(AttributeArguments attribute) => new MaxPooling2DArguments(SlidingWindow.Read(attribute, 0, "poolSize", strideDefaultsToSize: true));

    public override LayerArguments Defaults { get; } = new MaxPooling2DArguments(
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
        layer.Buffer("Argmax", BufferRole.Saved, layer.OutputSize, isInt: true);

        // Inference keeps no int buffers of its own: the winners go to float scratch read as ints (same size).
        layer.SharedScratch(ArgmaxScratch, layer.OutputSize, perSample: true, inInference: true);
    }

    public override string? InfoProperties(LayerSpec layer) => "Window = " + SlidingWindow.Geometry(layer, ((PoolingArguments)layer.Arguments).Window);

    public override int InputGradientLength(LayerSpec layer) => layer.InputSize;

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

    /// <summary>The training pass's winners, kept for the backward pass.</summary>
    private static string Argmax(LayerSpec layer)
    {
        BufferSpec argmax = layer.Buffer(BufferRole.Saved)!;
        return "new " + IntSpan + "(" + argmax.Field + ", 0, " + ForwardPass.Length(argmax) + ")";
    }
}
