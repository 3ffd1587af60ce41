using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Parsing;

/// <summary>
/// A well-formed layer attribute's arguments, for its descriptor to read (<see cref="Layers.LayerDescriptor.Read"/>).
/// <see cref="AttributeShape"/> has checked every type, so a value of another type only reads as 0.
/// </summary>
internal readonly struct AttributeArguments
{
    private readonly AttributeData _attribute;

    public AttributeArguments(AttributeData attribute) => _attribute = attribute;

    /// <summary>Constructor argument <paramref name="index"/> as an int (an enum reads as its value).</summary>
    public int Int(int index) => ToInt(_attribute.ConstructorArguments[index]);

    /// <summary>Constructor argument <paramref name="index"/> as a double.</summary>
    public double Double(int index) => ToDouble(_attribute.ConstructorArguments[index]);

    /// <summary>The named argument <paramref name="name"/>, if written.</summary>
    public bool TryGetNamed(string name, out TypedConstant value)
    {
        foreach (KeyValuePair<string, TypedConstant> named in _attribute.NamedArguments)
        {
            if (named.Key == name)
            {
                value = named.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The named int argument, or <paramref name="fallback"/> when not written.</summary>
    public int NamedInt(string name, int fallback) => TryGetNamed(name, out TypedConstant value) ? ToInt(value) : fallback;

    /// <summary>The named double argument, or <paramref name="fallback"/> when not written.</summary>
    public double NamedDouble(string name, double fallback) => TryGetNamed(name, out TypedConstant value) ? ToDouble(value) : fallback;

    public ImmutableArray<TypedConstant> ConstructorArguments => _attribute.ConstructorArguments;

    public static int ToInt(TypedConstant constant) => constant.Value is int value ? value : 0;

    public static double ToDouble(TypedConstant constant) => constant.Value is double value ? value : 0;
}
