using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary><c>[ActivationLayer(activation, Alpha)]</c>.</summary>
internal sealed record ActivationLayerArguments(ActivationKind Activation, double Alpha, bool AlphaDeclared) : LayerArguments;

/// <summary>
/// Keras's <c>layers.Activation</c>: a = f(x) on any shape, softmax over the last dimension; no parameters. Linear is
/// the identity and keeps no buffer. The backward pass works in place on the gradient: ReLU and leaky ReLU
/// differentiate from the input, sigmoid, tanh and softmax from the saved output.
/// </summary>
internal sealed class ActivationLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Activation;

    public override string AttributeName => "ActivationLayerAttribute";

    // ActivationLayerAttribute(Activation activation)
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) =>
        parameters.Length == 1 && AttributeShape.IsIntEnum(parameters[0].Type);

    public override bool PropertyMatches(string property, ITypeSymbol type) =>
        property != "Alpha" || type.SpecialType == SpecialType.System_Double;

    public override LayerArguments Read(AttributeArguments attribute) =>
        new ActivationLayerArguments((ActivationKind)attribute.Int(0), attribute.NamedDouble("Alpha", 0.2), attribute.TryGetNamed("Alpha", out _));

    public override LayerArguments Defaults { get; } = new ActivationLayerArguments(ActivationKind.Linear, 0.2, false);

    public override void Validate(LayerValidation layer)
    {
        var a = (ActivationLayerArguments)layer.Arguments;
        ActivationOps.Check(layer, a.Activation, a.Alpha, a.AlphaDeclared);
        if (layer.ShapeKnown)
        {
            layer.Accept(new List<long>(layer.Shape), null);
        }
    }

    public override void Declare(LayerDeclarations layer)
    {
        if (((ActivationLayerArguments)layer.Arguments).Activation != ActivationKind.Linear)
        {
            layer.Buffer("Output", BufferRole.Output, layer.OutputSize, holdsOutput: true, inInference: true);
        }
    }

    public override string SummaryType(LayerSpec layer) => "Activation, " + KerasName(((ActivationLayerArguments)layer.Arguments).Activation);

    public override (ActivationKind Activation, double Alpha, double Rate) InfoFields(LayerArguments arguments)
    {
        var a = (ActivationLayerArguments)arguments;
        return (a.Activation, a.Activation == ActivationKind.LeakyReLU ? a.Alpha : 0, 0);
    }

    public override int InputGradientLength(LayerSpec layer) => 0; // in place

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        var a = (ActivationLayerArguments)layer.Arguments;
        if (a.Activation == ActivationKind.Linear)
        {
            pass.W.Line("// " + layer.Name + ": Activation(linear), the identity");
            return;
        }

        BufferSpec output = layer.OutputBuffer!;
        string local = ForwardPass.Local(output), input = pass.Current;
        pass.W.Block($"""
            // {layer.Name}: Activation over ({layer.InputShape}), a = {Formula(a)}
            {Span} {local} = {pass.Slice(output)};
            {Call(a, layer, input, local)};
            """);
        pass.Current = local;
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        var a = (ActivationLayerArguments)layer.Arguments;
        if (a.Activation == ActivationKind.Linear)
        {
            pass.W.Line("// " + layer.Name + ": Activation(linear), the gradient passes through unchanged");
            return;
        }

        pass.W.Line("// " + layer.Name + ": Activation backward, dx = dy ⊙ f'(x), in place");
        string derivative = a.Activation switch
        {
            ActivationKind.ReLU => Activations + ".ReluBackward(" + pass.Input() + ", gradient, gradient)",
            ActivationKind.LeakyReLU => Activations + ".LeakyReluBackward(" + pass.Input() + ", gradient, " + Float(a.Alpha) + ", gradient)",
            _ => ActivationOps.Derivative(a.Activation, Columns(layer), pass.Saved(layer.OutputBuffer!), "gradient"),
        };
        pass.W.Line(derivative + ";");
    }

    private static string Formula(ActivationLayerArguments a) => a.Activation == ActivationKind.LeakyReLU
        ? "leaky_relu(x, " + Number(a.Alpha) + ")"
        : KerasName(a.Activation) + "(x" + (a.Activation == ActivationKind.Softmax ? ", axis=-1)" : ")");

    private static string Call(ActivationLayerArguments a, LayerSpec layer, string x, string y) => a.Activation switch
    {
        ActivationKind.ReLU => Activations + ".Relu(" + x + ", " + y + ")",
        ActivationKind.LeakyReLU => Activations + ".LeakyRelu(" + x + ", " + Float(a.Alpha) + ", " + y + ")",
        _ => ActivationOps.Activate(a.Activation, Columns(layer), x, y),
    };

    /// <summary>Softmax runs over the last dimension, as Keras's <c>axis=-1</c>.</summary>
    private static int Columns(LayerSpec layer) => layer.InputShape[layer.InputShape.Rank - 1];
}
