using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary><c>[Dropout(rate)]</c>: the fraction of inputs zeroed in training.</summary>
internal sealed record DropoutArguments(double Rate) : LayerArguments;

/// <summary>
/// Keras's <c>layers.Dropout</c> (inverted dropout): in training, zeroes each input with probability rate and scales
/// the rest by 1 / (1 − rate), keeping the mask for the backward pass; the identity in inference, and at rate 0.
/// </summary>
internal sealed class DropoutLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Dropout;

    public override string AttributeName => "DropoutAttribute";

    // DropoutAttribute(double rate)
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) =>
        parameters.Length == 1 && parameters[0].Type.SpecialType == SpecialType.System_Double;

    public override LayerArguments Read(AttributeArguments attribute) => new DropoutArguments(attribute.Double(0));

    public override LayerArguments Defaults { get; } = new DropoutArguments(0);

    public override void Validate(LayerValidation layer)
    {
        double rate = ((DropoutArguments)layer.Arguments).Rate;

        // The rate is emitted, and used, as a float: one just under 1 (0.99999999999) rounds to 1, which drops
        // everything and makes training throw.
        if (!(rate >= 0 && (float)rate < 1f))
        {
            string shown = rate.ToString("R", CultureInfo.InvariantCulture) + (rate < 1 && (float)rate >= 1f ? " (1 as a float)" : string.Empty);
            layer.Report(DiagnosticIds.DropoutRateOutOfRange, "rate", layer.Name, shown);
        }

        if (layer.ShapeKnown)
        {
            layer.Accept(new List<long>(layer.Shape), null);
        }
    }

    public override void Declare(LayerDeclarations layer)
    {
        if (((DropoutArguments)layer.Arguments).Rate > 0)
        {
            layer.Buffer("Output", BufferRole.Output, layer.OutputSize, holdsOutput: true);
            layer.Buffer("Mask", BufferRole.Saved, layer.OutputSize);
        }
    }

    public override (ActivationKind Activation, double Alpha, double Rate) InfoFields(LayerArguments arguments) =>
        (ActivationKind.Linear, 0, ((DropoutArguments)arguments).Rate);

    public override int InputGradientLength(LayerSpec layer) => 0; // in place

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        double rate = ((DropoutArguments)layer.Arguments).Rate;
        if (rate == 0)
        {
            pass.W.Line("// " + layer.Name + ": Dropout(0), the identity");
            return;
        }

        if (!pass.Training)
        {
            pass.W.Line("// " + layer.Name + ": Dropout(" + Number(rate) + "), the identity in inference");
            return;
        }

        BufferSpec output = layer.OutputBuffer!, mask = layer.Buffer(BufferRole.Saved)!;
        string local = ForwardPass.Local(output), input = pass.Current;
        pass.W.Block($$"""
            // {{layer.Name}}: Dropout({{Number(rate)}}), active only in training
            {{ReadOnlySpan}} {{local}} = {{input}};
            if (training)
            {
                {{Span}} dropped = {{pass.Slice(output)}};
                {{Dropout}}.Forward({{input}}, dropped, {{pass.Slice(mask)}}, {{Float(rate)}}, base.TrainingRng);
                {{local}} = dropped;
            }
            """);
        pass.Current = local;
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        if (((DropoutArguments)layer.Arguments).Rate == 0)
        {
            pass.W.Line("// " + layer.Name + ": Dropout, the gradient passes through unchanged");
            return;
        }

        BufferSpec mask = layer.Buffer(BufferRole.Saved)!;
        pass.W.Line("// " + layer.Name + ": Dropout backward, dx = dy ⊙ mask");
        pass.W.Line(Dropout + ".Backward(gradient, " + Emitting.Slice(mask.Field, ForwardPass.Length(mask)) + ", gradient);");
    }
}
