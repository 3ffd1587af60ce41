using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace NetGen.Generator.Analyzers;

/// <summary>
/// Finds the compile-time dimensions of an argument: an array creation with constant sizes or an initializer, a
/// collection expression without spreads, a stackalloc, or a local initialized with one of those and never
/// reassigned. Anything else is unknown (null), and the usage analyzer stays silent about it.
/// </summary>
internal static class ConstantLength
{
    /// <summary>Whether <paramref name="dims"/> is a known one-dimensional length.</summary>
    public static bool IsVector(ImmutableArray<int>? dims, out int length)
    {
        length = dims is { Length: 1 } d ? d[0] : 0;
        return dims is { Length: 1 };
    }

    /// <summary>Whether <paramref name="dims"/> is a known two-dimensional shape; returns its column count.</summary>
    public static bool IsMatrix(ImmutableArray<int>? dims, out int columns)
    {
        columns = dims is { Length: 2 } d ? d[1] : 0;
        return dims is { Length: 2 };
    }

    public static ImmutableArray<int>? Of(IOperation? value, CancellationToken ct)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case IArrayCreationOperation array:
                var dims = ImmutableArray.CreateBuilder<int>(array.DimensionSizes.Length);
                foreach (IOperation size in array.DimensionSizes)
                {
                    if (size.ConstantValue is not { HasValue: true, Value: int n })
                    {
                        return null;
                    }

                    dims.Add(n);
                }

                return dims.MoveToImmutable();
            case ICollectionExpressionOperation collection when !collection.Elements.Any(e => e is ISpreadOperation):
                return ImmutableArray.Create(collection.Elements.Length);
            case ILocalReferenceOperation local:
                return OfLocal(local, ct);
        }

        return value is null ? null : OfStackAlloc(value.Syntax, value.SemanticModel);
    }

    private static ImmutableArray<int>? OfStackAlloc(SyntaxNode syntax, SemanticModel? model)
    {
        switch (syntax)
        {
            case StackAllocArrayCreationExpressionSyntax { Initializer: { } init }:
                return ImmutableArray.Create(init.Expressions.Count);
            case ImplicitStackAllocArrayCreationExpressionSyntax { Initializer: { } init }:
                return ImmutableArray.Create(init.Expressions.Count);
            case StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax type }
                when type.RankSpecifiers.Count == 1 && type.RankSpecifiers[0].Sizes.Count == 1
                    && model?.GetConstantValue(type.RankSpecifiers[0].Sizes[0]) is { HasValue: true, Value: int n }:
                return ImmutableArray.Create(n);
        }

        return null;
    }

    /// <summary>A local's dimensions, when its initializer has constant ones and nothing assigns it again.</summary>
    private static ImmutableArray<int>? OfLocal(ILocalReferenceOperation reference, CancellationToken ct)
    {
        ILocalSymbol local = reference.Local;
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model)
        {
            return null;
        }

        if (local.DeclaringSyntaxReferences[0].GetSyntax(ct) is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator)
        {
            return null;
        }

        SyntaxNode? body = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax
            or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax);
        if (body is null || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        foreach (SyntaxNode node in body.DescendantNodes())
        {
            ExpressionSyntax? target = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument => argument.Expression,
                _ => null,
            };
            if (target is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, ct).Symbol, local))
            {
                return null;
            }
        }

        return Of(model.GetOperation(initializer, ct), ct) ?? OfStackAlloc(initializer, model);
    }
}
