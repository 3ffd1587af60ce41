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

/// <summary><c>[BatchNormalization(Momentum, Epsilon)]</c>.</summary>
internal sealed record BatchNormalizationArguments(double Momentum, double Epsilon) : LayerArguments;

/// <summary>
/// Keras's <c>layers.BatchNormalization</c> over the last axis (per feature after Dense, per channel after a
/// convolution, the statistics taken over the batch and every position): y = γ·(x − μ)/√(σ² + ε) + β. Training uses the
/// batch's mean and biased variance and moves the moving statistics towards them (moving·momentum + batch·(1 −
/// momentum)); inference uses the moving statistics. γ (ones) and β (zeros) are trainable; the moving mean (zeros) and
/// variance (ones) are non-trainable: saved with the weights, never stepped or decayed by an optimizer.
/// </summary>
internal sealed class BatchNormalizationLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.BatchNormalization;

    public override string AttributeName => "BatchNormalizationAttribute";

    public override string DefaultNameStem => "batch_normalization";

    // Training updates the moving mean and variance in place (Keras's rule).
    public override bool WritesTensorsInTraining => true;

    // BatchNormalizationAttribute()
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 0;

    public override bool PropertyMatches(string property, ITypeSymbol type) =>
        property is not ("Momentum" or "Epsilon") || type.SpecialType == SpecialType.System_Double;

    public override LayerArguments Read(AttributeArguments attribute) =>
        new BatchNormalizationArguments(attribute.NamedDouble("Momentum", 0.99), attribute.NamedDouble("Epsilon", 0.001));

    public override LayerArguments Defaults { get; } = new BatchNormalizationArguments(0.99, 0.001);

    public override void Validate(LayerValidation layer)
    {
        var a = (BatchNormalizationArguments)layer.Arguments;

        // Both run as floats: a momentum just under 1 rounds to 1 (the statistics would never move), an epsilon under
        // float's smallest value to 0.
        if (!(a.Momentum >= 0 && (float)a.Momentum < 1f))
        {
            string shown = Real(a.Momentum) + (a.Momentum < 1 && (float)a.Momentum >= 1f ? " (1 as a float)" : string.Empty);
            layer.Report(DiagnosticIds.MomentumOutOfRange, "Momentum", layer.Name, shown);
        }

        float epsilon = (float)a.Epsilon;
        if (!(epsilon > 0 && !float.IsInfinity(epsilon)))
        {
            string note = a.Epsilon > 0 && epsilon == 0 ? " (0 as a float)"
                : a.Epsilon > 0 && float.IsInfinity(epsilon) && !double.IsInfinity(a.Epsilon) ? " (infinity as a float)" : string.Empty;
            layer.Report(DiagnosticIds.InvalidEpsilon, "Epsilon", layer.Name, Real(a.Epsilon) + note);
        }

        // Over the last axis, whatever the rank; bad statistics settings do not change the shape.
        if (layer.ShapeKnown)
        {
            var output = new List<long>(layer.Shape);
            SlidingWindow.TooManyActivations(layer, output);
            layer.Accept(output, null);
        }
    }

    public override void Declare(LayerDeclarations layer)
    {
        // The model's override that makes a training forward pass a weights write (see WritesTensorsInTraining).
        layer.ModelMember("TrainingForwardWritesWeights");
        long channels = layer.Input.Count > 0 ? layer.Input[layer.Input.Count - 1] : 0;
        string shape = "[" + channels.ToString(CultureInfo.InvariantCulture) + "]";
        layer.Tensor("gamma", "Gamma", [channels], trainable: true, Initializer.Ones, "The scale γ of '" + layer.Name + "', shape " + shape + ", one per channel.");
        layer.Tensor("beta", "Beta", [channels], trainable: true, Initializer.Zeros, "The shift β of '" + layer.Name + "', shape " + shape + ", one per channel.");
        layer.Tensor("moving_mean", "MovingMean", [channels], trainable: false, Initializer.Zeros,
            "The moving mean of '" + layer.Name + "', shape " + shape + ", used in inference (non-trainable).");
        layer.Tensor("moving_variance", "MovingVariance", [channels], trainable: false, Initializer.Ones,
            "The moving variance of '" + layer.Name + "', shape " + shape + ", used in inference (non-trainable).",
            initializerNote: "the identity until training moves it");
        layer.Buffer("Output", BufferRole.Output, layer.OutputSize, holdsOutput: true, inInference: true);

        // The batch's statistics, for the backward pass: one value per channel whatever the batch.
        layer.Buffer("Mean", BufferRole.Saved, channels, perSample: false);
        layer.Buffer("InverseStd", BufferRole.Saved, channels, perSample: false);
    }

    public override string? InfoProperties(LayerSpec layer)
    {
        var a = (BatchNormalizationArguments)layer.Arguments;
        return "Epsilon = " + Float(a.Epsilon) + ", Momentum = " + Float(a.Momentum);
    }

    public override int InputGradientLength(LayerSpec layer) => layer.InputSize;

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        var a = (BatchNormalizationArguments)layer.Arguments;
        BufferSpec output = layer.OutputBuffer!;
        string local = ForwardPass.Local(output), input = pass.Current, rows = Rows(layer), channels = Int(Channels(layer));
        string gamma = layer.Tensor("gamma").Member, beta = layer.Tensor("beta").Member;
        string mean = layer.Tensor("moving_mean").Member, variance = layer.Tensor("moving_variance").Member;
        string inference = BatchNormalizationKernel + ".ForwardInference(" + input + ", " + gamma + ", " + beta + ", " + mean + ", " + variance + ", "
            + Float(a.Epsilon) + ", " + local + ", " + rows + ", " + channels + ");";
        pass.W.Line("// " + layer.Name + ": BatchNormalization of (" + layer.InputShape + ") over its " + channels + " channels, y = γ·(x − μ)/√(σ² + ε) + β, ε = "
            + Number(a.Epsilon) + (pass.Training ? ": μ, σ² of the batch in training (the moving ones move with momentum " + Number(a.Momentum) + "), the moving ones otherwise" : ": the moving μ, σ²"));
        pass.W.Line(Span + " " + local + " = " + pass.Slice(output) + ";");
        if (!pass.Training)
        {
            pass.W.Line(inference);
            pass.Current = local;
            return;
        }

        pass.W.Block($$"""
            if (training)
            {
                {{BatchNormalizationKernel}}.ForwardTraining({{input}}, {{gamma}}, {{beta}}, {{mean}}, {{variance}}, {{Float(a.Momentum)}}, {{Float(a.Epsilon)}}, {{local}},
                    {{Saved(layer, "Mean")}}, {{Saved(layer, "InverseStd")}}, {{rows}}, {{channels}});
            }
            else
            {
                {{inference}}
            }
            """);
        pass.Current = local;
    }

    public override void EmitBackward(BackwardPass pass, LayerSpec layer)
    {
        string rows = Rows(layer), channels = Int(Channels(layer));
        pass.W.Line("// " + layer.Name + ": BatchNormalization backward, dγ = Σ dy·x̂, dβ = Σ dy"
            + (pass.IsFirstTrainable ? "" : ", dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂))") + " over " + rows + " rows");
        string input = pass.Input();
        string inputGradient = pass.IsFirstTrainable ? "default" : pass.NextGradient(layer, layer.InputSize);
        pass.W.Line(BatchNormalizationKernel + ".Backward(" + input + ", " + layer.Tensor("gamma").Member + ", " + Saved(layer, "Mean") + ", "
            + Saved(layer, "InverseStd") + ", gradient, " + layer.Tensor("gamma").GradientMember + ", " + layer.Tensor("beta").GradientMember + ", "
            + inputGradient + ", " + rows + ", " + channels + ");");
        if (pass.IsFirstTrainable)
        {
            pass.W.Line("// The first trainable layer: nothing before it needs an input gradient.");
            return;
        }

        pass.W.Line("gradient = " + inputGradient + ";");
    }

    private static int Channels(LayerSpec layer) => layer.InputShape[layer.InputShape.Rank - 1];

    /// <summary>The rows the statistics run over: every position of every sample.</summary>
    private static string Rows(LayerSpec layer)
    {
        int positions = layer.InputSize / Channels(layer);
        return positions == 1 ? "batchSize" : "batchSize * " + Int(positions);
    }

    /// <summary>The batch statistic <paramref name="suffix"/> kept for the backward pass (Mean, InverseStd).</summary>
    private static string Saved(LayerSpec layer, string suffix)
    {
        foreach (BufferSpec buffer in layer.Buffers)
        {
            if (buffer.Role == BufferRole.Saved && buffer.Field.EndsWith(suffix, System.StringComparison.Ordinal))
            {
                return Slice(buffer.Field, ForwardPass.Length(buffer));
            }
        }

        return "default"; // not reached: Declare declares both
    }

    private static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
