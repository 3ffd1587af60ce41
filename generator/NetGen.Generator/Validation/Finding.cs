using NetGen.Generator.Helpers;

namespace NetGen.Generator.Validation;

/// <summary>
/// One problem the validator found, pointing at what is wrong without any location: the analyzer resolves
/// <see cref="AttributeIndex"/> (an index into the symbol's attributes; <see cref="OnClass"/> for the class name,
/// <see cref="OnParameterList"/> for a primary constructor's parameter list, <see cref="OnMember"/> for the user's
/// member that <see cref="Argument"/> names as <see cref="Parsing.UserMembers"/> lists it)
/// and <see cref="Argument"/> (a constructor parameter or property name; <see cref="Element"/> indexes into a params
/// array) to the exact source span. <see cref="Properties"/> become the diagnostic's properties, which the code
/// fixes read (keys in <see cref="Diagnostics.DiagnosticProperties"/>).
/// </summary>
internal sealed record Finding(string Id, int AttributeIndex, string? Argument, int Element, EquatableArray<string> MessageArgs,
    EquatableArray<DiagnosticProperty> Properties = default)
{
    public const int OnClass = -1;

    public const int OnParameterList = -2;

    public const int OnMember = -3;

    /// <summary>An <see cref="Element"/> that means the whole argument: every element of a params array written as separate arguments.</summary>
    public const int WholeArgument = -1;
}

/// <summary>One key/value of a diagnostic's properties; the key is one of <see cref="Diagnostics.DiagnosticProperties"/>.</summary>
internal readonly record struct DiagnosticProperty(string Key, string Value);
