using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.CodeFixes;

internal static class ModelDeclaration
{
    /// <summary>The type declaration whose name is at <paramref name="span"/>, where the declaration-level NG diagnostics are reported.</summary>
    public static TypeDeclarationSyntax? At(SyntaxNode root, TextSpan span)
    {
        SyntaxToken name = root.FindToken(span.Start);
        return name.Parent is TypeDeclarationSyntax declaration && declaration.Identifier == name ? declaration : null;
    }
}
