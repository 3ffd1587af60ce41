using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
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
/// NG0208 and NG0209: gives the output layer the activation its cross-entropy is fused with, Softmax for the
/// categorical losses and Sigmoid for the binary one. The diagnostic is on the layer's activation argument, which is
/// replaced, or on the whole Dense attribute when none is written, which then gets one after its units
/// (<c>Dense(3)</c> → <c>Dense(3, Activation.Softmax)</c>; <c>Dense(units: 3)</c> gets <c>activation: …</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetOutputActivationCodeFixProvider)), Shared]
public sealed class SetOutputActivationCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action that sets Softmax, which Fix All groups by.</summary>
    public const string SoftmaxKey = "NetGen.SetOutputActivation.Softmax";

    /// <summary>The equivalence key of the action that sets Sigmoid.</summary>
    public const string SigmoidKey = "NetGen.SetOutputActivation.Sigmoid";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.CategoricalWithoutSoftmax, DiagnosticIds.BinaryWithoutSigmoid];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root is null || Find(root, diagnostic.Location.SourceSpan) is null)
            {
                continue;
            }

            bool softmax = diagnostic.Id == DiagnosticIds.CategoricalWithoutSoftmax;
            string activation = softmax ? "Softmax" : "Sigmoid";
            Document document = context.Document;
            TextSpan span = diagnostic.Location.SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create("Set Activation." + activation + " on the output layer", ct => FixAsync(document, span, activation, ct), softmax ? SoftmaxKey : SigmoidKey),
                diagnostic);
        }
    }

    /// <summary>The activation argument, or the whole attribute, that the diagnostic covers exactly.</summary>
    private static SyntaxNode? Find(SyntaxNode root, TextSpan span)
    {
        SyntaxNode node = root.FindNode(span, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { } argument && argument.Span == span)
        {
            return argument;
        }

        return node.FirstAncestorOrSelf<AttributeSyntax>() is { ArgumentList: not null } attribute && attribute.Span == span ? attribute : null;
    }

    private static async Task<Document> FixAsync(Document document, TextSpan span, string activation, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        ExpressionSyntax value = SyntaxFactory.ParseExpression("global::NetGen.Activation." + activation).WithAdditionalAnnotations(Simplifier.Annotation);
        switch (Find(root, span))
        {
            case AttributeArgumentSyntax argument:
                return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, value.WithTriviaFrom(argument.Expression)));
            case AttributeSyntax { ArgumentList: { } list }:
                return document.WithSyntaxRoot(root.ReplaceNode(list, WithActivation(list, value)));
            default:
                return document;
        }
    }

    /// <summary>
    /// The list with the activation after the constructor's arguments (before the named properties): positional,
    /// unless an argument before it is named (<c>units: 3</c>), when it is named too.
    /// </summary>
    private static AttributeArgumentListSyntax WithActivation(AttributeArgumentListSyntax list, ExpressionSyntax value)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments;
        int at = 0;
        bool named = false;
        while (at < arguments.Count && arguments[at].NameEquals is null)
        {
            named |= arguments[at].NameColon is not null;
            at++;
        }

        AttributeArgumentSyntax activation = named
            ? SyntaxFactory.AttributeArgument(null, SyntaxFactory.NameColon("activation").WithTrailingTrivia(SyntaxFactory.Space), value)
            : SyntaxFactory.AttributeArgument(value);
        var items = new List<SyntaxNodeOrToken>();
        for (int i = 0; i <= arguments.Count; i++)
        {
            if (i == at)
            {
                if (items.Count > 0)
                {
                    items.Add(Comma());
                }

                items.Add(activation);
            }

            if (i < arguments.Count)
            {
                if (items.Count > 0)
                {
                    items.Add(i > 0 && i - 1 < arguments.SeparatorCount && i != at ? arguments.GetSeparator(i - 1) : Comma());
                }

                items.Add(arguments[i]);
            }
        }

        return list.WithArguments(SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(items));
    }

    private static SyntaxToken Comma() => SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CommaToken, SyntaxFactory.TriviaList(SyntaxFactory.Space));
}
