using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Layers;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The shape of each NetGen attribute as the runtime declares it: the constructor's parameter types and the types of
/// the properties the parser reads. The parser trusts an attribute's arguments only when its shape matches, so an
/// attribute that merely has NetGen's name (a user's own <c>NetGen.DenseAttribute</c>) can never make it throw.
/// </summary>
internal static class AttributeShape
{
    /// <summary>Whether <paramref name="attribute"/>, named like NetGen's <paramref name="kind"/>, is shaped like it too.</summary>
    public static bool Matches(string kind, AttributeData attribute)
    {
        // An attribute the compiler could not bind has no constructor to check; the parser marks it malformed and the
        // compiler reports why.
        if (attribute.AttributeConstructor is { } constructor && !ConstructorMatches(kind, constructor.Parameters))
        {
            return false;
        }

        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Value.Kind != TypedConstantKind.Error && named.Value.Type is { } type && !PropertyMatches(kind, named.Key, type))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ConstructorMatches(string kind, System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters) => kind == "Sequential"
        // SequentialAttribute(params int[] inputShape)
        ? parameters.Length == 1 && parameters[0].Type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int32 }
        : LayerRegistry.ForAttribute(kind + "Attribute") is { } layer && layer.ConstructorMatches(parameters);

    /// <summary>The properties the parser reads, by kind; any other property is not read and may have any type.</summary>
    private static bool PropertyMatches(string kind, string name, ITypeSymbol type) => (kind, name) switch
    {
        ("Sequential", "Loss") => IsIntEnum(type),
        ("Sequential", "Weights") => type.SpecialType == SpecialType.System_String,
        ("Sequential", _) => true,
        (_, "Name") => type.SpecialType == SpecialType.System_String,
        _ => LayerRegistry.ForAttribute(kind + "Attribute") is { } layer && layer.PropertyMatches(name, type),
    };

    /// <summary>Whether the type is an enum over int (NetGen's Activation and Loss), read as its value.</summary>
    public static bool IsIntEnum(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType.SpecialType: SpecialType.System_Int32 };
}
