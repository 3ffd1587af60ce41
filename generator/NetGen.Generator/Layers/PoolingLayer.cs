using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Layers;

/// <summary>
/// What Keras's windowed poolings (<c>MaxPooling2D</c>, <c>AveragePooling2D</c>) share: the attribute
/// (<c>poolSize = 2 | [h, w]</c>, strides defaulting to the pool size, padding), the window checks and output shape, an
/// output buffer, and an input gradient as large as the input. Each kind adds what it keeps and its own passes.
/// </summary>
internal abstract class PoolingLayer : LayerDescriptor
{
    private static readonly WindowArguments DefaultWindow =
        new(new[] { 2 }.ToEquatableArray(), "poolSize", null, null, null, PaddingKind.Valid, true, false);

    /// <summary>The kind's arguments record around <paramref name="window"/>.</summary>
    protected abstract PoolingArguments Create(WindowArguments window);

    // XPooling2DAttribute(int poolSize = 2 | int[] poolSize)
    public sealed override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 1 && SlidingWindow.IsSize(parameters[0].Type);

    public sealed override bool PropertyMatches(string property, ITypeSymbol type) => SlidingWindow.PropertyMatches(property, type);

    public sealed override LayerArguments Read(AttributeArguments attribute) => Create(SlidingWindow.Read(attribute, 0, "poolSize", strideDefaultsToSize: true));

    public sealed override LayerArguments Defaults => Create(DefaultWindow);

    public sealed override void Validate(LayerValidation layer)
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

    public sealed override string? InfoProperties(LayerSpec layer) => "Window = " + SlidingWindow.Geometry(layer, ((PoolingArguments)layer.Arguments).Window);

    public sealed override int InputGradientLength(LayerSpec layer) => layer.InputSize;
}
