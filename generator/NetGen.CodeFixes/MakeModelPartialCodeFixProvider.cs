using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;

namespace NetGen.CodeFixes;

/// <summary>NG0001: declares the model class <c>partial</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeModelPartialCodeFixProvider)), Shared]
public sealed class MakeModelPartialCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of this fix's code action, which Fix All groups by.</summary>
    public const string EquivalenceKey = "NetGen.MakeModelPartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.NotPartial];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // NG0001 is reported on the model class's name.
            if (root is null || ModelDeclaration.At(root, diagnostic.Location.SourceSpan) is not { } model || PartialModifier.Has(model))
            {
                continue;
            }

            Document document = context.Document;
            TextSpan span = model.Identifier.Span;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make '" + model.Identifier.ValueText + "' partial",
                    ct => FixAsync(document, span, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (ModelDeclaration.At(root, span) is not { } model)
        {
            return document;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(model, PartialModifier.Add(model)));
    }
}
