using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>Adds <c>partial</c> to a type declaration where C# wants it: after every other modifier, right before the keyword.</summary>
internal static class PartialModifier
{
    public static bool Has(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>
    /// <c>public sealed class X</c> becomes <c>public sealed partial class X</c>; with no modifiers, <c>partial</c> takes
    /// over the keyword's leading trivia (indentation, a doc comment), so the declaration keeps its layout.
    /// </summary>
    public static TypeDeclarationSyntax Add(TypeDeclarationSyntax declaration)
    {
        if (Has(declaration))
        {
            return declaration;
        }

        if (declaration.Modifiers.Count == 0)
        {
            SyntaxToken keyword = declaration.Keyword;
            SyntaxToken partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(partial));
        }

        SyntaxToken appended = SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return declaration.WithModifiers(declaration.Modifiers.Add(appended));
    }
}
