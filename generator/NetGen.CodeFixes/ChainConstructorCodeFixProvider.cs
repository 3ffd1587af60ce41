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
/// NG0018: makes the user's constructor call the generated one, <c>: this(seed)</c> when it has a <c>long seed</c>
/// parameter to pass on, else <c>: this(seed: 0)</c> (named, so it cannot bind to the constructor itself). A
/// <c>: base(...)</c> initializer is replaced.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChainConstructorCodeFixProvider)), Shared]
public sealed class ChainConstructorCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of this fix's code action, which Fix All groups by.</summary>
    public const string EquivalenceKey = "NetGen.ChainConstructor";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.ConstructorNotChained];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // NG0018 is reported on the constructor's name.
            if (root is null || Find(root, diagnostic.Location.SourceSpan) is not { } constructor)
            {
                continue;
            }

            Document document = context.Document;
            TextSpan span = diagnostic.Location.SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create("Call the generated constructor with ': this(" + Argument(constructor) + ")'", ct => FixAsync(document, span, ct), EquivalenceKey),
                diagnostic);
        }
    }

    private static ConstructorDeclarationSyntax? Find(SyntaxNode root, TextSpan span) =>
        root.FindToken(span.Start).Parent is ConstructorDeclarationSyntax constructor && constructor.Identifier.Span == span ? constructor : null;

    /// <summary>
    /// <c>seed</c> if the constructor has a <c>long seed</c> or <c>long? seed</c> parameter, else <c>seed: null</c> (a random
    /// start; named, so that a parameterless constructor does not call itself).
    /// </summary>
    private static string Argument(ConstructorDeclarationSyntax constructor)
    {
        foreach (ParameterSyntax parameter in constructor.ParameterList.Parameters)
        {
            if (parameter.Identifier.ValueText == "seed" && IsLong(parameter.Type is NullableTypeSyntax nullable ? nullable.ElementType : parameter.Type))
            {
                return "seed";
            }
        }

        return "seed: null";
    }

    private static bool IsLong(TypeSyntax? type) => type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.LongKeyword };

    private static async Task<Document> FixAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (Find(root, span) is not { } constructor)
        {
            return document;
        }

        // Right after the parameter list, which hands its trailing trivia (a space, a line break) on to it.
        ConstructorInitializerSyntax initializer = SyntaxFactory.ConstructorInitializer(
                SyntaxKind.ThisConstructorInitializer,
                SyntaxFactory.ParseArgumentList("(" + Argument(constructor) + ")"))
            .WithColonToken(SyntaxFactory.Token(SyntaxKind.ColonToken).WithTrailingTrivia(SyntaxFactory.Space));
        ConstructorDeclarationSyntax fixedConstructor = constructor.Initializer is { } existing
            ? constructor.ReplaceNode(existing, initializer.WithTriviaFrom(existing))
            : constructor
                .WithParameterList(constructor.ParameterList.WithoutTrailingTrivia())
                .WithInitializer(initializer.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(constructor.ParameterList.GetTrailingTrivia()));
        return document.WithSyntaxRoot(root.ReplaceNode(constructor, fixedConstructor));
    }
}
