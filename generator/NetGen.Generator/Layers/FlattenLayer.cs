using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Layers;

/// <summary><c>[Flatten]</c> takes no arguments.</summary>
internal sealed record FlattenArguments : LayerArguments;

/// <summary>Keras's <c>layers.Flatten</c>: a reshape to one dimension, free, as samples are stored row-major.</summary>
internal sealed class FlattenLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Flatten;

    public override string AttributeName => "FlattenAttribute";

    // FlattenAttribute()
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 0;

    public override LayerArguments Read(AttributeArguments attribute) => Defaults;

    public override LayerArguments Defaults { get; } = new FlattenArguments();

    public override void Validate(LayerValidation layer)
    {
        // A size past int.MaxValue never reaches the emitter: the Dense layer every model ends with, or a
        // Normalization, needs at least as many parameters, over the limit.
        if (layer.ShapeKnown)
        {
            layer.Accept([LayerDeclarations.Product(layer.Shape)], null);
        }
    }

    public override void Declare(LayerDeclarations layer)
    {
        // Nothing: its output is its input, read as one row per sample.
    }

    public override int InputGradientLength(LayerSpec layer) => 0; // passes through

    public override void EmitForward(ForwardPass pass, LayerSpec layer) =>
        pass.W.Line("// " + layer.Name + ": Flatten to (" + layer.OutputShape + "), free: samples are already stored row-major");

    public override void EmitBackward(BackwardPass pass, LayerSpec layer) =>
        pass.W.Line("// " + layer.Name + ": Flatten, the gradient passes through unchanged");
}
