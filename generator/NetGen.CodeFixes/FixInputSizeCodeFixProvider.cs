using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0107: sets a Dense layer's declared <c>InputSize</c> to the size it actually receives, which the analyzer passes
/// in the diagnostic's <see cref="DiagnosticProperties.InferredInputSize"/> property.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixInputSizeCodeFixProvider)), Shared]
public sealed class FixInputSizeCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of this fix's code action, which Fix All groups by.</summary>
    public const string EquivalenceKey = "NetGen.FixInputSize";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.InputSizeMismatch];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // NG0107 is reported on the whole 'InputSize = n' argument.
            if (root is null
                || !diagnostic.Properties.TryGetValue(DiagnosticProperties.InferredInputSize, out string? value)
                || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int inferred)
                || FindArgument(root, diagnostic.Location.SourceSpan) is null)
            {
                continue;
            }

            Document document = context.Document;
            TextSpan span = diagnostic.Location.SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create("Set InputSize to " + inferred.ToString(CultureInfo.InvariantCulture), ct => FixAsync(document, span, inferred, ct), EquivalenceKey),
                diagnostic);
        }
    }

    private static AttributeArgumentSyntax? FindArgument(SyntaxNode root, TextSpan span) =>
        root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeArgumentSyntax>() is { } argument && argument.Span == span
            ? argument
            : null;

    private static async Task<Document> FixAsync(Document document, TextSpan span, int inferred, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (FindArgument(root, span) is not { } argument)
        {
            return document;
        }

        LiteralExpressionSyntax size = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(inferred))
            .WithTriviaFrom(argument.Expression);
        return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, size));
    }
}
