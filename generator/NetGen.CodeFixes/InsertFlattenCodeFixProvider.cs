using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0106: inserts a <c>[Flatten]</c> layer right before the Dense layer that receives a multi-dimensional input.
/// A Dense alone in its attribute list gets a new list of its own before it (on its own line, indented alike, when
/// the Dense's list starts a line); a Dense sharing a list gets <c>Flatten</c> inserted into that list before it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
public sealed class InsertFlattenCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of this fix's code action, which Fix All groups by.</summary>
    public const string EquivalenceKey = "NetGen.InsertFlatten";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.NeedsFlatten];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // NG0106 is reported on the whole Dense attribute.
            if (root is null || FindAttribute(root, diagnostic.Location.SourceSpan) is null)
            {
                continue;
            }

            Document document = context.Document;
            TextSpan span = diagnostic.Location.SourceSpan;
            context.RegisterCodeFix(CodeAction.Create("Insert [Flatten] before this layer", ct => FixAsync(document, span, ct), EquivalenceKey), diagnostic);
        }
    }

    private static AttributeSyntax? FindAttribute(SyntaxNode root, TextSpan span) =>
        root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>() is { Parent: AttributeListSyntax } attribute
            && attribute.Span == span ? attribute : null;

    private static async Task<Document> FixAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (FindAttribute(root, span) is not { Parent: AttributeListSyntax list } dense)
        {
            return document;
        }

        AttributeSyntax flatten = SyntaxFactory.Attribute(FlattenName(dense.Name));
        if (list.Attributes.Count > 1)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(list, InsertIntoList(list, dense, flatten)));
        }

        // A list of its own: [Flatten] takes over the Dense list's leading trivia (comments stay above both), and the
        // Dense list moves to the next line with the same indentation (or, if it shares its line, stays there one space after).
        AttributeListSyntax flattenList = SyntaxFactory.AttributeList(
            SyntaxFactory.Token(SyntaxKind.OpenBracketToken).WithoutTrivia(),
            list.Target,
            SyntaxFactory.SingletonSeparatedList(flatten),
            SyntaxFactory.Token(SyntaxKind.CloseBracketToken).WithoutTrivia());
        SourceText text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        TextLine line = text.Lines.GetLineFromPosition(list.SpanStart);
        string indentation = text.ToString(TextSpan.FromBounds(line.Start, list.SpanStart));
        AttributeListSyntax moved;
        if (indentation.Trim().Length == 0)
        {
            flattenList = flattenList.WithLeadingTrivia(list.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.EndOfLine(LineBreak(text, line)));
            moved = list.WithLeadingTrivia(indentation.Length == 0 ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indentation)));
        }
        else
        {
            flattenList = flattenList.WithLeadingTrivia(list.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space);
            moved = list.WithLeadingTrivia(SyntaxFactory.TriviaList());
        }

        return document.WithSyntaxRoot(root.ReplaceNode(list, [flattenList, moved]));
    }

    /// <summary>The file's own line break: the one ending the line before <paramref name="line"/> (or ending it, on the first line).</summary>
    private static string LineBreak(SourceText text, TextLine line)
    {
        TextLine model = line.LineNumber > 0 ? text.Lines[line.LineNumber - 1] : line;
        string lineBreak = text.ToString(TextSpan.FromBounds(model.End, model.EndIncludingLineBreak));
        return lineBreak.Length > 0 ? lineBreak : "\n";
    }

    /// <summary>Inserts <paramref name="flatten"/> before <paramref name="dense"/> in a shared list: <c>[A, Dense]</c> becomes <c>[A, Flatten, Dense]</c>.</summary>
    private static AttributeListSyntax InsertIntoList(AttributeListSyntax list, AttributeSyntax dense, AttributeSyntax flatten)
    {
        SeparatedSyntaxList<AttributeSyntax> attributes = list.Attributes;
        var items = new List<SyntaxNodeOrToken>();
        for (int i = 0; i < attributes.Count; i++)
        {
            if (attributes[i] == dense)
            {
                items.Add(flatten.WithLeadingTrivia(dense.GetLeadingTrivia()));
                items.Add(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CommaToken, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
                items.Add(dense.WithLeadingTrivia(SyntaxFactory.TriviaList()));
            }
            else
            {
                items.Add(attributes[i]);
            }

            if (i < attributes.SeparatorCount)
            {
                items.Add(attributes.GetSeparator(i));
            }
        }

        return list.WithAttributes(SyntaxFactory.SeparatedList<AttributeSyntax>(items));
    }

    /// <summary>
    /// The Flatten attribute's name, written the way the Dense one is: <c>Dense</c> → <c>Flatten</c>,
    /// <c>NetGen.DenseAttribute</c> → <c>NetGen.FlattenAttribute</c>. Under an alias, the fully qualified name, which
    /// the code action's clean-up simplifies as far as the file's usings allow.
    /// </summary>
    private static NameSyntax FlattenName(NameSyntax dense)
    {
        SimpleNameSyntax? right = dense switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            AliasQualifiedNameSyntax alias => alias.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
        string? renamed = right is IdentifierNameSyntax identifier
            ? identifier.Identifier.ValueText switch
            {
                "Dense" => "Flatten",
                "DenseAttribute" => "FlattenAttribute",
                _ => null,
            }
            : null;
        if (right is null || renamed is null)
        {
            return SyntaxFactory.ParseName("global::NetGen.Flatten").WithAdditionalAnnotations(Simplifier.Annotation);
        }

        IdentifierNameSyntax flatten = SyntaxFactory.IdentifierName(renamed);
        return (right == dense ? flatten : dense.ReplaceNode(right, flatten)).WithoutTrivia();
    }
}
