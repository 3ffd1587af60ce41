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

/// <summary><c>[Normalization]</c> takes no arguments: its statistics come from <c>Adapt</c>.</summary>
internal sealed record NormalizationArguments : LayerArguments;

/// <summary>
/// Keras's <c>layers.Normalization</c>: y = (x − mean) / max(√variance, 1e-7) per feature, with a mean, variance and
/// sample count that are non-trainable (saved with the weights, never stepped) and set by <c>Adapt</c>.
/// </summary>
internal sealed class NormalizationLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Normalization;

    public override string AttributeName => "NormalizationAttribute";

    // NormalizationAttribute()
    public override bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters) => parameters.Length == 0;

    public override LayerArguments Read(AttributeArguments attribute) => Defaults;

    public override LayerArguments Defaults { get; } = new NormalizationArguments();

    public override void Validate(LayerValidation layer)
    {
        // Adapt measures the raw input features, and the backward pass stops at the first trainable layer, so it must
        // come before that (which also means no gradient ever flows through it).
        if (layer.FirstTrainable is { } trainable)
        {
            layer.Report(DiagnosticIds.NormalizationAfterDense, null, layer.Name, trainable);
        }
        else if (layer.FirstOf(LayerKind.Normalization) is { } first)
        {
            layer.Report(DiagnosticIds.DuplicateNormalization, null, layer.Name, first);
        }

        if (!layer.ShapeKnown)
        {
            return;
        }

        if (layer.Shape.Count != 1)
        {
            layer.Report(DiagnosticIds.NeedsFlatten, null, layer.Name, string.Join(", ", layer.Shape));
            layer.LoseShape();
            return;
        }

        layer.Accept(new List<long>(layer.Shape), null);
    }

    public override void Declare(LayerDeclarations layer)
    {
        // Keras's 2·features + 1 statistics: the mean and variance per feature, and the sample count.
        string features = "[" + layer.OutputSize.ToString(CultureInfo.InvariantCulture) + "]";
        layer.Tensor("mean", "Mean", [layer.OutputSize], trainable: false, Initializer.Zeros,
            "The per-feature mean of '" + layer.Name + "', shape " + features + ", set by Adapt (non-trainable).");
        layer.Tensor("variance", "Variance", [layer.OutputSize], trainable: false, Initializer.Ones,
            "The per-feature variance of '" + layer.Name + "', shape " + features + ", set by Adapt (non-trainable).",
            initializerNote: "the identity until Adapt measures the data");
        layer.Tensor("count", "Count", [1], trainable: false, Initializer.Zeros,
            "The number of samples '" + layer.Name + "' was adapted to (non-trainable).");
        layer.Buffer("Output", BufferRole.Output, layer.OutputSize, holdsOutput: true, inInference: true);

        // Adapt's side of the layer, generated into the model (see EmitMembers): the runtime's Network knows no layer kind.
        layer.ModelMember("AdaptedLayer");
        layer.ModelMember("StatisticsAdapted");
        layer.ModelMember("AdaptCore");
    }

    /// <summary>What <c>Network.Adapt</c> and <c>IsAdapted</c> ask of the model: this layer's name, whether its count is set, and how to compute its statistics.</summary>
    public override void EmitMembers(MemberWriter members, LayerSpec layer)
    {
        string generated = "[" + GeneratedCode + "(\"NetGen\", \"" + Version + "\")]";
        members.W.Line();
        members.W.Block($$"""
            /// <inheritdoc/>
            {{generated}}
            protected override string? AdaptedLayer => {{Quote(layer.Name)}};

            /// <inheritdoc/>
            {{generated}}
            protected override bool StatisticsAdapted => {{layer.Tensor("count").Member}}[0] > 0;

            /// <inheritdoc/>
            {{generated}}
            protected override void AdaptCore({{ReadOnlySpan}} features, int count) =>
                {{KnownTypes.Normalization}}.Adapt(features, count, {{layer.Tensor("mean").Member}}, {{layer.Tensor("variance").Member}}, {{layer.Tensor("count").Member}});
            """);
    }

    public override int InputGradientLength(LayerSpec layer) => 0;

    public override void EmitForward(ForwardPass pass, LayerSpec layer)
    {
        BufferSpec output = layer.OutputBuffer!;
        string local = ForwardPass.Local(output);
        pass.W.Block($$"""
            // {{layer.Name}}: Normalization of {{Int(layer.OutputSize)}} features, y = (x − mean) / max(√variance, 1e-7)
            {{Span}} {{local}} = {{pass.Slice(output)}};
            {{KnownTypes.Normalization}}.Forward({{pass.Current}}, {{layer.Tensor("mean").Member}}, {{layer.Tensor("variance").Member}}, {{local}});
            """);
        pass.Current = local;
    }

    /// <summary>
    /// Never reached: NG0109 keeps a Normalization layer before the first trainable layer, where the backward pass
    /// stops. Were that rule relaxed, this would need dx = dy / max(√variance, 1e-7), which has no kernel yet.
    /// </summary>
    public override void EmitBackward(BackwardPass pass, LayerSpec layer) =>
        pass.W.Line("#error NetGen: Normalization '" + layer.Name + "' inside the backward pass has no gradient (NG0109 should have refused it)");
}
