using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator;

/// <summary>
/// Turns each <c>[Sequential]</c> partial class into fixed-shape network code, in three stages:
/// find (<c>ForAttributeWithMetadataName</c>), understand (parse to plain data, validate, infer shapes: an invalid
/// model yields a stub of its public members whose bodies throw, the analyzer reports why), emit (write source from the model alone).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<NetworkDeclaration?> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.SequentialAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => CarriesAttribute(ctx) ? NetworkParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.SemanticModel.Compilation, ct) : null)
            .WithTrackingName(TrackingNames.Declarations);

        // A valid model becomes a spec; a refused one a stub of its public members (or nothing, when even that cannot
        // compile beside the user's declaration), so the build shows only the NG errors the analyzer reports.
        IncrementalValuesProvider<(NetworkSpec? Spec, NetworkStub? Stub)> outcomes = declarations
            .Select(static (declaration, _) => Understand(declaration));

        IncrementalValuesProvider<NetworkSpec> models = outcomes
            .Where(static outcome => outcome.Spec is not null)
            .Select(static (outcome, _) => outcome.Spec!)
            .WithTrackingName(TrackingNames.Models);

        IncrementalValuesProvider<NetworkStub> stubs = outcomes
            .Where(static outcome => outcome.Stub is not null)
            .Select(static (outcome, _) => outcome.Stub!)
            .WithTrackingName(TrackingNames.Stubs);

        // Which models need a hash in their hint names, as their full names differ from another's only in case. Only
        // the names are collected, so an edit to a model that keeps its name leaves every other model's output cached.
        IncrementalValueProvider<EquatableArray<string>> ambiguous = models
            .Select(static (spec, _) => (spec.FullName, HintNames.Identity(spec.Namespace, spec.ContainingTypes, spec.ClassName)))
            .Collect()
            .Combine(stubs.Select(static (stub, _) => (stub.FullName, HintNames.Identity(stub.Namespace, stub.ContainingTypes, stub.ClassName))).Collect())
            .Select(static (names, _) => HintNames.Ambiguous(names.Left.AddRange(names.Right)))
            .WithTrackingName(TrackingNames.AmbiguousHintNames);

        context.RegisterSourceOutput(models.Combine(ambiguous), static (output, pair) =>
        {
            NetworkSpec spec = pair.Left;
            if (HintNames.Stem(spec.FullName, HintNames.Identity(spec.Namespace, spec.ContainingTypes, spec.ClassName), pair.Right) is not { } hint)
            {
                return; // two declarations of one type name: the compiler reports them (CS0101), and either's files would clash
            }

            output.AddSource(hint + ".Network.g.cs", NetworkEmitter.Emit(spec));
            output.AddSource(hint + ".Forward.g.cs", ForwardEmitter.Emit(spec));
            output.AddSource(hint + ".Backward.g.cs", BackwardEmitter.Emit(spec));
        });

        // Compiled-in weights: the models that name a weights file, each checked against its file. Only the few files the
        // build hands over as weights are read; a model's check re-runs when its request or the set of files changes, and
        // its output only when its own outcome does, so an edit of one file regenerates only the model that names it.
        IncrementalValuesProvider<WeightsRequest> weightsRequests = declarations
            .Select(static (declaration, _) => WeightsFileCheck.Request(declaration))
            .Where(static request => request is not null)
            .Select(static (request, _) => request!)
            .WithTrackingName(TrackingNames.WeightsRequests);

        IncrementalValuesProvider<WeightsFile> weightsFiles = context.AdditionalTextsProvider
            .Where(static text => WeightsFileReader.IsWeightsFile(text))
            .Select(static (text, ct) => WeightsFileReader.Read(text, ct))
            .WithTrackingName(TrackingNames.WeightsFiles);

        IncrementalValuesProvider<WeightsOutcome> embedded = weightsRequests
            .Combine(weightsFiles.Collect())
            .Select(static (pair, _) => WeightsFileCheck.Check(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.EmbeddedWeights);

        context.RegisterSourceOutput(embedded.Combine(ambiguous), static (output, pair) =>
        {
            WeightsOutcome outcome = pair.Left;
            WeightsRequest request = outcome.Request;
            if (outcome.ErrorId is { } id)
            {
                output.ReportDiagnostic(Diagnostic.Create(
                    Diagnostics.Descriptors.ForWeights(id), request.Weights.Location.ToLocation(), request.Weights.Path, request.ClassName, outcome.ErrorMessage));
            }

            if (HintNames.Stem(request.FullName, HintNames.Identity(request.Namespace, request.ContainingTypes, request.ClassName), pair.Right) is { } hint)
            {
                output.AddSource(hint + ".Weights.g.cs", EmbeddedWeightsEmitter.Emit(outcome));
            }
        });

        context.RegisterSourceOutput(stubs.Combine(ambiguous), static (output, pair) =>
        {
            NetworkStub stub = pair.Left;
            if (HintNames.Stem(stub.FullName, HintNames.Identity(stub.Namespace, stub.ContainingTypes, stub.ClassName), pair.Right) is { } hint)
            {
                output.AddSource(hint + ".Network.g.cs", StubEmitter.Emit(stub));
            }
        });
    }

    /// <summary>Validates a declaration: a spec for a valid model, else the stub to write for it, if any.</summary>
    private static (NetworkSpec? Spec, NetworkStub? Stub) Understand(NetworkDeclaration? declaration)
    {
        if (declaration is null)
        {
            return (null, null);
        }

        (List<Finding> findings, NetworkSpec? spec) = NetworkValidator.Validate(declaration);
        return spec is not null ? (spec, null) : (null, NetworkStubs.Build(declaration, findings));
    }

    /// <summary>
    /// Whether the [Sequential] found is on this very declaration. ForAttributeWithMetadataName filters by attribute
    /// name, then keeps the symbol's matching attributes from the same file: another partial part in that file with
    /// any attribute named Sequential would yield the model a second time, and a second set of hint names would throw.
    /// </summary>
    private static bool CarriesAttribute(GeneratorAttributeSyntaxContext context)
    {
        foreach (AttributeData attribute in context.Attributes)
        {
            if (attribute.ApplicationSyntaxReference is { } reference && reference.SyntaxTree == context.TargetNode.SyntaxTree
                && context.TargetNode.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }
}
