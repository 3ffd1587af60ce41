using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary><c>[Conv2D(filters, kernelSize, activation, Strides, StrideHeight, StrideWidth, Padding, Alpha)]</c>.</summary>
internal sealed record Conv2DArguments(int Filters, WindowArguments Window, ActivationKind Activation, double Alpha, bool AlphaDeclared) : LayerArguments;

/// <summary>
/// Keras's <c>layers.Conv2D</c>, channels last: z = x ⊛ W + b over every window, a = f(z), with a Glorot-uniform kernel
/// [kh, kw, cin, filters] (fans kh·kw·cin and kh·kw·filters, as Keras) and a zero bias. The convolution is the runtime's
/// im2col product (<c>NetGen.Kernels.Conv2D</c>); bias and activation run over its batch·oh·ow rows of filters values
/// with the same kernels as a Dense layer's.
/// </summary>
internal sealed class Conv2DLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Conv2D;

    public override string AttributeName => "Conv2DAttribute";

    // Conv2DAttribute(int filters, int kernelSize | int[] kernelSize, Activation activation = Activation.Linear)
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) =>
        parameters.Length == 3 && parameters[0].Type.SpecialType == SpecialType.System_Int32 && SlidingWindow.IsSize(parameters[1].Type)
        && AttributeShape.IsIntEnum(parameters[2].Type);

    public override bool PropertyMatches(string property, ITypeSymbol type) =>
        property == "Alpha" ? type.SpecialType == SpecialType.System_Double : SlidingWindow.PropertyMatches(property, type);

    public override LayerArguments Read(AttributeArguments attribute) => new Conv2DArguments(
        attribute.Int(0), SlidingWindow.Read(attribute, 1, "kernelSize", strideDefaultsToSize: false), (ActivationKind)attribute.Int(2),
        attribute.NamedDouble("Alpha", 0.2), attribute.TryGetNamed("Alpha", out _));

    public override LayerArguments Defaults { get; } = new Conv2DArguments(
        1, new WindowArguments(new[] { 1 }.ToEquatableArray(), "kernelSize", null, null, null, PaddingKind.Valid, false, false), ActivationKind.Linear, 0.2, false);

    public override void Validate(LayerValidation layer)
    {
        var a = (Conv2DArguments)layer.Arguments;
        bool sound = a.Filters > 0;
        if (!sound)
        {
            layer.Report(DiagnosticIds.NonPositiveFilters, "filters", layer.Name, LayerValidation.Num(a.Filters));
        }

        ActivationOps.Check(layer, a.Activation, a.Alpha, a.AlphaDeclared);
        sound &= SlidingWindow.Check(layer, a.Window);
        if (!sound || !layer.OrderKnown || !layer.ShapeKnown
            || SlidingWindow.Image(layer) is not { } image
            || SlidingWindow.Output(layer, a.Window, image, a.Filters) is not { } output)
        {
            layer.LoseShape();
            return;
        }

        SlidingWindow.TooManyActivations(layer, output);
        layer.Accept(output, "filters");
    }

    public override void Declare(LayerDeclarations layer)
    {
        var a = (Conv2DArguments)layer.Arguments;
        long kh = a.Window.Height, kw = a.Window.Width, cin = layer.Input.Count == 3 ? layer.Input[2] : 0;
        string shape = "[" + kh + ", " + kw + ", " + cin + ", " + a.Filters + "]";
        layer.Tensor("kernel", "Kernel", [kh, kw, cin, a.Filters], trainable: true, Initializer.GlorotUniform,
            "The kernel of '" + layer.Name + "', shape " + shape + " (Keras's layout: height, width, input channels, filters), row-major.",
            fanIn: LayerDeclarations.Multiply(kh * kw, cin), fanOut: LayerDeclarations.Multiply(kh * kw, a.Filters));
        layer.Tensor("bias", "Bias", [a.Filters], trainable: true, Initializer.Zeros, "The bias of '" + layer.Name + "', shape [" + a.Filters + "], one per filter.");
        layer.Buffer("Z", BufferRole.PreActivation, layer.OutputSize, holdsOutput: a.Activation == ActivationKind.Linear, inInference: true);
        if (a.Activation != ActivationKind.Linear)
        {
            layer.Buffer("A", BufferRole.Output, layer.OutputSize, holdsOutput: true, inInference: true);
        }

        // The unrolled windows and the gradient lanes live in the calling thread's ConvolutionScratch: their length is
        // not proportional to the batch (Conv2D.ScratchLength), so they are not one of the per-sample buffers.
    }

    public override string SummaryType(LayerSpec layer) =>
        ((Conv2DArguments)layer.Arguments).Activation is var activation && activation != ActivationKind.Linear ? "Conv2D, " + KerasName(activation) : "Conv2D";

    public override (ActivationKind Activation, double Alpha, double Rate) InfoFields(LayerArguments arguments)
    {
        var a = (Conv2DArguments)arguments;
        return (a.Activation, a.Activation == ActivationKind.LeakyReLU ? a.Alpha : 0, 0);
    }

    public override string? InfoProperties(LayerSpec layer) => "Window = " + SlidingWindow.Geometry(layer, ((Conv2DArguments)layer.Arguments).Window);

    public override int InputGradientLength(LayerSpec layer) => layer.InputSize;

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        var a = (Conv2DArguments)layer.Arguments;
        SourceWriter w = pass.W;
        BufferSpec z = layer.Buffer(BufferRole.PreActivation)!;
        string zLocal = ForwardPass.Local(z), input = pass.Current, rows = Rows(layer);
        string kernel = layer.Tensor("kernel").Member, bias = layer.Tensor("bias").Member;
        w.Line("// " + layer.Name + ": Conv2D " + Int(a.Filters) + " filters " + SlidingWindow.Describe(a.Window) + ", (" + layer.InputShape + ") -> ("
            + layer.OutputShape + "), z = " + input + " ⊛ W + b" + ActivationOps.Comment(a.Activation, a.Alpha));
        string scratchAndShape = Scratch(layer, a) + ", " + SlidingWindow.Geometry(layer, a.Window) + ", " + Int(a.Filters) + ", batchSize);";
        if (ActivationOps.FusesBias(a.Activation))
        {
            // Bias and (leaky) ReLU applied to each block of z while it is still in cache: the same bits as two passes.
            // Inference keeps no z for a backward pass: ReLU's activation then overwrites it in place, one store a value.
            BufferSpec fused = layer.OutputBuffer!;
            string aLocal = ForwardPass.Local(fused);
            bool inPlace = !pass.Training && a.Activation == ActivationKind.ReLU;
            if (!inPlace)
            {
                w.Line(Span + " " + zLocal + " = " + pass.Slice(z) + ";");
            }

            w.Line(Span + " " + aLocal + " = " + pass.Slice(fused) + ";");
            string zTarget = inPlace ? aLocal : zLocal;
            w.Line(a.Activation == ActivationKind.ReLU
                ? Conv2DKernel + ".ForwardBiasRelu(" + input + ", " + kernel + ", " + bias + ", " + zTarget + ", " + aLocal + ", " + scratchAndShape
                : Conv2DKernel + ".ForwardBiasLeakyRelu(" + input + ", " + kernel + ", " + bias + ", " + Float(a.Alpha) + ", " + zLocal + ", " + aLocal + ", " + scratchAndShape);
            pass.Current = aLocal;
            return;
        }

        w.Line(Span + " " + zLocal + " = " + pass.Slice(z) + ";");
        w.Line(Conv2DKernel + ".Forward(" + input + ", " + kernel + ", " + zLocal + ", " + scratchAndShape);
        pass.Current = zLocal;
        w.Line(Bias + ".AddToRows(" + zLocal + ", " + bias + ", " + rows + ");");
        if (a.Activation != ActivationKind.Linear)
        {
            // Softmax is per pixel, over the filters (Keras's activation over the last axis).
            BufferSpec output = layer.OutputBuffer!;
            w.Line(Span + " " + ForwardPass.Local(output) + " = " + pass.Slice(output) + ";");
            w.Line(ActivationOps.Activate(a.Activation, a.Filters, zLocal, ForwardPass.Local(output)) + ";");
            pass.Current = ForwardPass.Local(output);
        }
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        var a = (Conv2DArguments)layer.Arguments;
        SourceWriter w = pass.W;
        TensorSpec kernel = layer.Tensor("kernel"), bias = layer.Tensor("bias");
        bool linear = a.Activation == ActivationKind.Linear;
        bool fusedBias = !linear && ActivationOps.FusesBias(a.Activation);
        string rows = Rows(layer);
        w.Line("// " + layer.Name + ": Conv2D backward over " + rows + " rows. " + (linear ? "" : "dz = da·f'(z); ")
            + "db = Σ dz; dW = im2col(x)ᵀ·dz" + (pass.IsFirstTrainable ? "" : "; dx = col2im(dz·Wᵀ)"));
        if (!linear)
        {
            string saved = pass.Saved(fusedBias ? layer.Buffer(BufferRole.PreActivation)! : layer.OutputBuffer!);
            w.Line((fusedBias
                ? ActivationOps.DerivativeWithBiasGradient(a.Activation, a.Alpha, saved, bias.GradientMember, rows)
                : ActivationOps.Derivative(a.Activation, a.Filters, saved, "gradient")) + ";");
        }

        if (!fusedBias)
        {
            w.Line(Bias + ".Gradient(gradient, " + bias.GradientMember + ", " + rows + ");");
        }

        string input = pass.Input();
        string inputGradient = pass.IsFirstTrainable ? "default" : pass.NextGradient(layer, layer.InputSize);
        w.Line(Conv2DKernel + ".Backward(" + input + ", " + kernel.Member + ", gradient, " + kernel.GradientMember + ", " + inputGradient + ", "
            + Scratch(layer, a) + ", " + SlidingWindow.Geometry(layer, a.Window) + ", " + Int(a.Filters) + ", batchSize);");
        if (pass.IsFirstTrainable)
        {
            w.Line("// The first trainable layer: nothing before it needs an input gradient.");
            return;
        }

        w.Line("gradient = " + inputGradient + ";");
    }

    /// <summary>The calling thread's scratch for this layer's call (per thread, so concurrent predictions never share it).</summary>
    private static string Scratch(LayerSpec layer, Conv2DArguments a) =>
        ConvolutionScratch + ".For(" + SlidingWindow.Geometry(layer, a.Window) + ", " + Int(a.Filters) + ", batchSize)";

    /// <summary>The rows bias and activation run over: one per output pixel of every sample.</summary>
    private static string Rows(LayerSpec layer) => "batchSize * " + Int(layer.OutputShape[0] * layer.OutputShape[1]);
}
