using System.Collections.Immutable;
using System.Composition;
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
/// NG0126: a height × width input shape reaching a Conv2D or pooling layer gets the channel dimension 1 appended
/// (<c>[28, 28]</c> → <c>[28, 28, 1]</c>), however it is written: a collection expression, an array creation, or
/// the params arguments themselves (<c>Sequential(28, 28, …)</c>). The existing elements are kept as written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddChannelDimensionCodeFixProvider)), Shared]
public sealed class AddChannelDimensionCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of this fix's code action, which Fix All groups by.</summary>
    public const string EquivalenceKey = "NetGen.AddChannelDimension";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.MissingChannelDimension];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // NG0126 is reported on the whole input shape argument (all of the params arguments, when written so).
            if (root is null
                || !diagnostic.Properties.TryGetValue(DiagnosticProperties.ShapeWithChannel, out string? shape) || shape is null
                || FindShape(root, diagnostic.Location.SourceSpan) is null)
            {
                continue;
            }

            Document document = context.Document;
            TextSpan span = diagnostic.Location.SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create("Add the channel dimension: [" + shape.Replace(",", ", ") + "]", ct => FixAsync(document, span, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The last argument the span covers (the shape's collection, or its last params element).</summary>
    private static AttributeArgumentSyntax? FindShape(SyntaxNode root, TextSpan span)
    {
        if (root.FindToken(span.End - 1).Parent?.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { } last
            || last.Span.End != span.End || last.Parent is not AttributeArgumentListSyntax)
        {
            return null;
        }

        return last;
    }

    private static async Task<Document> FixAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (FindShape(root, span) is not { Parent: AttributeArgumentListSyntax list } last)
        {
            return document;
        }

        LiteralExpressionSyntax one = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1));
        SyntaxNode? replaced = last.Expression switch
        {
            CollectionExpressionSyntax collection => collection.WithElements(WithOne(collection.Elements, SyntaxFactory.ExpressionElement(one))),
            ArrayCreationExpressionSyntax { Initializer: { } init } creation => creation.WithInitializer(init.WithExpressions(WithOne(init.Expressions, one))),
            ImplicitArrayCreationExpressionSyntax creation => creation.WithInitializer(creation.Initializer.WithExpressions(WithOne(creation.Initializer.Expressions, one))),
            _ => null,
        };
        if (replaced is not null)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(last.Expression, replaced));
        }

        // The params elements as separate arguments: one more argument after the last of them.
        int index = list.Arguments.IndexOf(last);
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments.Insert(index + 1, SyntaxFactory.AttributeArgument(one));
        return document.WithSyntaxRoot(root.ReplaceNode(list, list.WithArguments(arguments)));
    }

    /// <summary>The elements with <paramref name="item"/> appended, separated like the existing ones (", ").</summary>
    private static SeparatedSyntaxList<T> WithOne<T>(SeparatedSyntaxList<T> items, T item)
        where T : SyntaxNode
    {
        if (items.Count == 0)
        {
            return items.Add(item);
        }

        // Keep the last element's trailing trivia (a space before '}' in 'new[] { 28, 28 }') after the new one.
        T lastItem = items[items.Count - 1];
        SyntaxTriviaList trailing = lastItem.GetTrailingTrivia();
        SeparatedSyntaxList<T> cleaned = items.Replace(lastItem, lastItem.WithoutTrailingTrivia());
        var nodes = new System.Collections.Generic.List<SyntaxNodeOrToken>();
        for (int i = 0; i < cleaned.Count; i++)
        {
            nodes.Add(cleaned[i]);
            if (i < cleaned.SeparatorCount)
            {
                nodes.Add(cleaned.GetSeparator(i));
            }
        }

        nodes.Add(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CommaToken, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
        nodes.Add(item.WithTrailingTrivia(trailing));
        return SyntaxFactory.SeparatedList<T>(nodes);
    }
}
