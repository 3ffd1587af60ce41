using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0002: declares every type the model class is nested in <c>partial</c>. The analyzer reports one NG0002 per
/// non-partial containing type, all on the model class's name; one action fixes them all, so applying it for any of
/// them (or Fix All, whose identical edits merge) leaves none.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeContainingTypesPartialCodeFixProvider)), Shared]
public sealed class MakeContainingTypesPartialCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of this fix's code action, which Fix All groups by.</summary>
    public const string EquivalenceKey = "NetGen.MakeContainingTypesPartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.ContainingTypeNotPartial];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        // Every NG0002 on one model names a different containing type but asks for the same edit: offer it once.
        foreach (IGrouping<TextSpan, Diagnostic> group in context.Diagnostics.GroupBy(d => d.Location.SourceSpan))
        {
            if (ModelDeclaration.At(root, group.Key) is not { } model)
            {
                continue;
            }

            List<TypeDeclarationSyntax> outers = NonPartialContainingTypes(model);
            if (outers.Count == 0)
            {
                continue;
            }

            string title = outers.Count == 1
                ? "Make containing type '" + outers[0].Identifier.ValueText + "' partial"
                : "Make containing types " + string.Join(", ", outers.Select(o => "'" + o.Identifier.ValueText + "'")) + " partial";
            Document document = context.Document;
            TextSpan span = model.Identifier.Span;
            context.RegisterCodeFix(CodeAction.Create(title, ct => FixAsync(document, span, ct), EquivalenceKey), group.ToImmutableArray());
        }
    }

    /// <summary>The declarations the model is nested in that lack <c>partial</c>, outermost first.</summary>
    private static List<TypeDeclarationSyntax> NonPartialContainingTypes(TypeDeclarationSyntax model)
    {
        var outers = new List<TypeDeclarationSyntax>();
        foreach (TypeDeclarationSyntax outer in model.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!PartialModifier.Has(outer))
            {
                outers.Insert(0, outer);
            }
        }

        return outers;
    }

    private static async Task<Document> FixAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (ModelDeclaration.At(root, span) is not { } model)
        {
            return document;
        }

        // ReplaceNodes hands each outer declaration over with its inner ones already rewritten.
        return document.WithSyntaxRoot(root.ReplaceNodes(NonPartialContainingTypes(model), (_, rewritten) => PartialModifier.Add(rewritten)));
    }
}
