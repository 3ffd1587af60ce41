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
/// model yields nothing here, the analyzer reports why), emit (write source from the model alone).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<NetworkDeclaration> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.SequentialAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => NetworkParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct))
            .WithTrackingName(TrackingNames.Declarations);

        IncrementalValuesProvider<NetworkSpec> models = declarations
            .Select(static (declaration, _) => NetworkValidator.Validate(declaration).Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Models);

        context.RegisterSourceOutput(models, static (output, spec) =>
        {
            output.AddSource(spec.FullName + ".Network.g.cs", NetworkEmitter.Emit(spec));
            output.AddSource(spec.FullName + ".Forward.g.cs", ForwardEmitter.Emit(spec));
            output.AddSource(spec.FullName + ".Backward.g.cs", BackwardEmitter.Emit(spec));
        });
    }
}
