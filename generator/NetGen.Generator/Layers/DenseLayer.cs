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

/// <summary>
/// <c>[Dense(units, activation, Alpha, InputSize, KernelL2)]</c>: z = x·W + b, a = f(z). Its output does not depend on
/// its input's size, so it makes an unknown shape known again.
/// </summary>
internal sealed record DenseArguments(int Units, ActivationKind Activation, double Alpha, bool AlphaDeclared, int InputSize, double KernelL2) : LayerArguments;

/// <summary>Keras's <c>layers.Dense</c>: a Glorot-uniform kernel [inputs, units] and a zero bias, both trainable.</summary>
internal sealed class DenseLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Dense;

    public override string AttributeName => "DenseAttribute";

    // DenseAttribute(int units, Activation activation = Activation.Linear)
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) =>
        parameters.Length == 2 && parameters[0].Type.SpecialType == SpecialType.System_Int32 && AttributeShape.IsIntEnum(parameters[1].Type);

    public override bool PropertyMatches(string property, ITypeSymbol type) => property switch
    {
        "Alpha" or "KernelL2" => type.SpecialType == SpecialType.System_Double,
        "InputSize" => type.SpecialType == SpecialType.System_Int32,
        _ => true,
    };

    public override LayerArguments Read(AttributeArguments attribute) => new DenseArguments(
        attribute.Int(0), (ActivationKind)attribute.Int(1), attribute.NamedDouble("Alpha", 0.2), attribute.TryGetNamed("Alpha", out _),
        attribute.NamedInt("InputSize", 0), attribute.NamedDouble("KernelL2", 0));

    public override LayerArguments Defaults { get; } = new DenseArguments(0, ActivationKind.Linear, 0.2, false, 0, 0);

    public override OutputHead? Head(LayerArguments arguments) => arguments is DenseArguments a ? new OutputHead(a.Units, a.Activation) : null;

    public override void Validate(LayerValidation layer)
    {
        var a = (DenseArguments)layer.Arguments;
        string name = layer.Name;
        if (a.Units <= 0)
        {
            layer.Report(DiagnosticIds.NonPositiveUnits, "units", name, LayerValidation.Num(a.Units));
        }

        ActivationOps.Check(layer, a.Activation, a.Alpha, a.AlphaDeclared);

        // Emitted as a float: a factor beyond float's range would be infinite at run time.
        if (!(a.KernelL2 >= 0 && !float.IsInfinity((float)a.KernelL2)))
        {
            layer.Report(DiagnosticIds.InvalidKernelL2, "KernelL2", name, a.KernelL2.ToString("R", CultureInfo.InvariantCulture));
        }

        if (a.Units <= 0)
        {
            layer.LoseShape();
            return;
        }

        if (!layer.OrderKnown)
        {
            return;
        }

        if (!layer.ShapeKnown)
        {
            layer.CountExact = false;
        }
        else if (layer.Shape.Count != 1)
        {
            layer.Report(DiagnosticIds.NeedsFlatten, null, name, string.Join(", ", layer.Shape));
            layer.Complete = layer.CountExact = false;
        }
        else
        {
            // 0 is the attribute's default, "not declared"; a negative size is declared, and always wrong.
            if (a.InputSize != 0 && a.InputSize != layer.Shape[0])
            {
                string inferred = LayerValidation.Num(layer.Shape[0]);
                layer.Report(DiagnosticIds.InputSizeMismatch, "InputSize", [new DiagnosticProperty(DiagnosticProperties.InferredInputSize, inferred)],
                    name, LayerValidation.Num(a.InputSize), layer.Producer, inferred);
            }

            layer.Accept([a.Units], "units");
            return;
        }

        // Whatever it receives, a Dense layer outputs its units.
        layer.Produce([a.Units]);
    }

    public override void Declare(LayerDeclarations layer)
    {
        var a = (DenseArguments)layer.Arguments;
        string inputs = layer.InputSize.ToString(CultureInfo.InvariantCulture), units = a.Units.ToString(CultureInfo.InvariantCulture);
        layer.Tensor("kernel", "Kernel", [layer.InputSize, a.Units], trainable: true, Initializer.GlorotUniform,
            "The kernel of '" + layer.Name + "', shape [" + inputs + ", " + units + "], row-major.", fanIn: layer.InputSize, fanOut: a.Units, l2: a.KernelL2);
        layer.Tensor("bias", "Bias", [a.Units], trainable: true, Initializer.Zeros, "The bias of '" + layer.Name + "', shape [" + units + "].");
        layer.Buffer("Z", BufferRole.PreActivation, a.Units, holdsOutput: a.Activation == ActivationKind.Linear, inInference: true);
        if (a.Activation != ActivationKind.Linear)
        {
            layer.Buffer("A", BufferRole.Output, a.Units, holdsOutput: true, inInference: true);
        }
    }

    public override string SummaryType(LayerSpec layer) =>
        ((DenseArguments)layer.Arguments).Activation is var activation && activation != ActivationKind.Linear ? "Dense, " + KerasName(activation) : "Dense";

    public override (ActivationKind Activation, double Alpha, double Rate) InfoFields(LayerArguments arguments)
    {
        var a = (DenseArguments)arguments;
        return (a.Activation, a.Activation == ActivationKind.LeakyReLU ? a.Alpha : 0, 0);
    }

    public override int InputGradientLength(LayerSpec layer) => layer.InputSize;

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        var a = (DenseArguments)layer.Arguments;
        SourceWriter w = pass.W;
        BufferSpec z = layer.Buffer(BufferRole.PreActivation)!;
        string zLocal = ForwardPass.Local(z), input = pass.Current, inputs = Int(layer.InputSize), units = Int(layer.OutputSize);
        string kernel = layer.Tensor("kernel").Member, bias = layer.Tensor("bias").Member;
        w.Line("// " + layer.Name + ": Dense " + inputs + " -> " + units + ", z = " + input + "·W + b" + ActivationOps.Comment(a.Activation, a.Alpha));
        w.Line(Span + " " + zLocal + " = " + pass.Slice(z) + ";");
        w.Line(Gemm + ".MatMul(" + input + ", " + kernel + ", " + zLocal + ", batchSize, " + inputs + ", " + units + ");");
        pass.Current = zLocal;
        if (ActivationOps.FusesBias(a.Activation))
        {
            // Bias and activation in one pass over the batch (the same bits as two).
            BufferSpec fused = layer.OutputBuffer!;
            w.Line(Span + " " + ForwardPass.Local(fused) + " = " + pass.Slice(fused) + ";");
            w.Line(ActivationOps.AddBiasAndActivate(a.Activation, a.Alpha, zLocal, bias, ForwardPass.Local(fused)) + ";");
            pass.Current = ForwardPass.Local(fused);
            return;
        }

        w.Line(Bias + ".AddToRows(" + zLocal + ", " + bias + ", batchSize);");
        if (a.Activation != ActivationKind.Linear)
        {
            BufferSpec output = layer.OutputBuffer!;
            w.Line(Span + " " + ForwardPass.Local(output) + " = " + pass.Slice(output) + ";");
            w.Line(ActivationOps.Activate(a.Activation, layer.OutputSize, zLocal, ForwardPass.Local(output)) + ";");
            pass.Current = ForwardPass.Local(output);
        }
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        var a = (DenseArguments)layer.Arguments;
        SourceWriter w = pass.W;
        string inputs = Int(layer.InputSize), units = Int(layer.OutputSize);
        TensorSpec kernel = layer.Tensor("kernel"), bias = layer.Tensor("bias");
        bool dzFromLoss = (pass.IsOutputLayer && pass.LossFused) || a.Activation == ActivationKind.Linear;
        w.Line("// " + layer.Name + ": Dense " + inputs + " -> " + units + ". "
            + (dzFromLoss ? "" : "dz = da·f'(z); ") + "dW = xᵀ·dz; db = Σ dz" + (pass.IsFirstTrainable ? "" : "; dx = dz·Wᵀ"));
        bool fusedBias = !dzFromLoss && ActivationOps.FusesBias(a.Activation);
        if (!dzFromLoss)
        {
            // ReLU and LeakyReLU differentiate from z, in the same pass as the bias gradient; sigmoid, tanh and softmax
            // more cheaply from a.
            string saved = pass.Saved(fusedBias ? layer.Buffer(BufferRole.PreActivation)! : layer.OutputBuffer!);
            w.Line((fusedBias
                ? ActivationOps.DerivativeWithBiasGradient(a.Activation, a.Alpha, saved, bias.GradientMember)
                : ActivationOps.Derivative(a.Activation, layer.OutputSize, saved, "gradient")) + ";");
        }

        string input = pass.Input();
        w.Line(Gemm + ".MatMulTransA(" + input + ", gradient, " + kernel.GradientMember + ", " + inputs + ", batchSize, " + units + ");");
        if (!fusedBias)
        {
            w.Line(Bias + ".Gradient(gradient, " + bias.GradientMember + ", batchSize);");
        }

        if (pass.IsFirstTrainable)
        {
            w.Line("// The first trainable layer: nothing before it needs an input gradient.");
            return;
        }

        string inputGradient = pass.NextGradient(layer, layer.InputSize);
        w.Line(Gemm + ".MatMulTransB(gradient, " + kernel.Member + ", " + inputGradient + ", batchSize, " + units + ", " + inputs + ");");
        w.Line("gradient = " + inputGradient + ";");
    }
}
