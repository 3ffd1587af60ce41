using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Reads a model class's symbol into a <see cref="NetworkDeclaration"/>: the "understand" stage's first half.
/// It copies what was written and judges nothing; the validator decides what is legal. Shared by the generator
/// and the analyzer so both see the same thing.
/// </summary>
internal static class NetworkParser
{
    public const string Namespace = "NetGen";
    public const string SequentialAttribute = "NetGen.SequentialAttribute";
    private const string NetworkBaseClass = "NetGen.Network";

    /// <summary>Whether the attribute is one of NetGen's model attributes.</summary>
    public static bool IsNetGenAttribute(AttributeData attribute) => KindOf(attribute) is not null;

    /// <summary>Reads <paramref name="type"/>; <paramref name="compilation"/> (the one holding it) binds what the symbol alone cannot tell.</summary>
    public static NetworkDeclaration Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        int sequentialIndex = -1, sequentialPart = 0;
        bool sequentialMalformed = false;
        int[] inputShape = [];
        var loss = LossKind.MeanSquaredError;
        bool lossDeclared = false;
        WeightsArgument? weights = null;
        var layers = new List<LayerDeclaration>();

        for (int i = 0; i < attributes.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AttributeData attribute = attributes[i];
            string? kind = KindOf(attribute);
            if (kind is null)
            {
                continue;
            }

            // Unbound (the compiler reports why), or bound with arguments that do not fill its parameters.
            bool malformed = attribute.AttributeConstructor is not { } constructor || HasErrors(attribute)
                || attribute.ConstructorArguments.Length != constructor.Parameters.Length;
            switch (kind)
            {
                case "Sequential":
                    // A second [Sequential] is CS0579; like an argument the compiler cannot bind, it is the compiler's to report.
                    sequentialMalformed |= malformed || sequentialIndex >= 0;
                    sequentialIndex = i;
                    sequentialPart = PartOf(type, attribute, cancellationToken);
                    if (!malformed)
                    {
                        inputShape = ReadIntArray(attribute.ConstructorArguments[0]);
                        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                        {
                            if (named.Key == "Loss" && named.Value.Value is not null)
                            {
                                loss = (LossKind)AttributeArguments.ToInt(named.Value);
                                lossDeclared = true;
                            }
                            else if (named.Key == "Weights" && named.Value.Value is string path)
                            {
                                weights = new WeightsArgument(path, SourceSpan.Of(NamedArgumentLocation(attribute, "Weights", cancellationToken)));
                            }
                        }
                    }

                    break;
                default:
                    LayerDescriptor descriptor = LayerRegistry.ForAttribute(kind + "Attribute")!;
                    layers.Add(new LayerDeclaration(descriptor.Kind, i, malformed, malformed ? null : NameOf(attribute),
                        malformed ? descriptor.Defaults : descriptor.Read(new AttributeArguments(attribute)), PartOf(type, attribute, cancellationToken)));
                    break;
            }
        }

        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new ContainingType(Keyword(outer), outer.Name, IsPartial(outer, cancellationToken), outer.IsFileLocal));
        }

        INamedTypeSymbol? baseType = type.BaseType;
        string? baseName = baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.ToDisplayString() == NetworkBaseClass
            ? null
            : baseType.ToDisplayString();
        if (baseName is null && baseType?.SpecialType == SpecialType.System_Object && NamesObjectAsBase(type, compilation, cancellationToken))
        {
            // ': object' is still a base class, and contradicts the generated ': global::NetGen.Network' (CS0263).
            baseName = "object";
        }

        return new NetworkDeclaration(
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            containing.ToEquatableArray(),
            IsPartial(type, cancellationToken),
            type.IsGenericType,
            type.IsStatic,
            type.IsRecord,
            type.IsFileLocal,
            HasPrimaryConstructor(type, cancellationToken),
            baseName,
            sequentialIndex,
            sequentialMalformed,
            inputShape.ToEquatableArray(),
            loss,
            lossDeclared,
            layers.ToEquatableArray(),
            (int)LanguageVersionOf(type),
            UserMembers.Of(type),
            UserMembers.UnchainedConstructors(type, cancellationToken),
            sequentialPart,
            type.IsAbstract,
            weights);
    }

    /// <summary>Where a named argument's value is written, for a diagnostic about it; the attribute's span if it cannot be found.</summary>
    private static Location NamedArgumentLocation(AttributeData attribute, string name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        foreach (AttributeArgumentSyntax argument in syntax.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument.Expression.GetLocation();
            }
        }

        return syntax.GetLocation();
    }

    /// <summary>Which of the type's partial declarations (an index into its declaring syntax references) the attribute is written on.</summary>
    private static int PartOf(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference is not { } application)
        {
            return 0;
        }

        ImmutableArray<SyntaxReference> parts = type.DeclaringSyntaxReferences;
        for (int i = 0; i < parts.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parts[i].SyntaxTree == application.SyntaxTree && parts[i].Span.Contains(application.Span))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>A layer attribute's <c>Name</c>, if written.</summary>
    private static string? NameOf(AttributeData attribute) =>
        new AttributeArguments(attribute).TryGetNamed("Name", out TypedConstant name) ? name.Value as string : null;

    /// <summary>
    /// Which of NetGen's attributes this is, or null. A type with NetGen's namespace and name but another shape (a
    /// user's own <c>NetGen.DenseAttribute(string units)</c>) is not NetGen's: reading its arguments as NetGen's would
    /// index past them or convert a string to a number, so it is ignored like any other attribute.
    /// </summary>
    private static string? KindOf(AttributeData attribute)
    {
        INamedTypeSymbol? cls = attribute.AttributeClass;
        if (cls is null || cls.ContainingNamespace is not { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true })
        {
            return null;
        }

        string? kind = cls.Name == "SequentialAttribute" ? "Sequential"
            : LayerRegistry.ForAttribute(cls.Name) is { } layer ? layer.AttributeName.Substring(0, layer.AttributeName.Length - "Attribute".Length)
            : null;
        return kind is not null && AttributeShape.Matches(kind, attribute) ? kind : null;
    }

    private static bool HasErrors(AttributeData attribute)
    {
        foreach (TypedConstant arg in attribute.ConstructorArguments)
        {
            if (arg.Kind == TypedConstantKind.Error)
            {
                return true;
            }
        }

        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Value.Kind == TypedConstantKind.Error)
            {
                return true;
            }
        }

        return false;
    }

    private static int[] ReadIntArray(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Array || constant.Values.IsDefault)
        {
            return [];
        }

        var values = new int[constant.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = AttributeArguments.ToInt(constant.Values[i]);
        }

        return values;
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a declaration has a parameter list: <c>partial class Net();</c>.</summary>
    private static bool HasPrimaryConstructor(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a declaration lists <c>object</c> first in its base list, however spelled (<c>object</c>,
    /// <c>System.Object</c>, an alias <c>O</c> of it), which makes it the base class: the symbol cannot tell that from an
    /// implicit base, so this binds the first listed type, which is the base class exactly when it is not an interface.
    /// </summary>
    private static bool NamesObjectAsBase(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax { BaseList.Types: { Count: > 0 } types })
            {
                continue;
            }

            TypeSyntax first = types[0].Type;
            if (first is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.ObjectKeyword))
            {
                return true;
            }

            if (compilation.ContainsSyntaxTree(first.SyntaxTree)
                && compilation.GetSemanticModel(first.SyntaxTree).GetSymbolInfo(first, cancellationToken).Symbol is ITypeSymbol { SpecialType: SpecialType.System_Object })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The C# version the type's source is compiled as (every file of a project shares it), the generated code's too.</summary>
    private static LanguageVersion LanguageVersionOf(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree.Options is CSharpParseOptions options ? options.LanguageVersion : LanguageVersion.Latest;

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };
}
