using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// What the user wrote, read from the symbol with nothing judged yet: plain values only (no symbols, no syntax,
/// no locations), so it is cheap to compare and safe to cache. Attribute indices point back into the symbol's
/// attribute list for the analyzer, which alone turns findings into located diagnostics.
/// <see cref="SequentialMalformed"/> means the compiler could not bind [Sequential], or found it twice (it reports that itself).
/// <see cref="LanguageVersion"/> is the C# version the model's file is compiled as (Roslyn's LanguageVersion value).
/// <see cref="UserMembers"/> are the members the user declared (see <see cref="Parsing.UserMembers"/>);
/// <see cref="UnchainedConstructors"/> those of them that are constructors not calling <c>this(...)</c>, listed the same way.
/// <see cref="SequentialPart"/> is which partial declaration of the class carries [Sequential] (an index into the
/// symbol's declaring syntax references), as <see cref="LayerDeclaration.Part"/> is for each layer.
/// <see cref="IsAbstract"/>: an abstract model cannot create its own copies (Clone), so none is generated.
/// <see cref="Weights"/>: the weights file [Sequential] names to compile in, with where the argument is written (the
/// one location a declaration keeps: only the weights step reports at it, so the spec stays location-free).
/// </summary>
internal sealed record NetworkDeclaration(
    string Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    bool IsPartial,
    bool IsGeneric,
    bool IsStatic,
    bool IsRecord,
    bool IsFileLocal,
    bool HasPrimaryConstructor,
    string? BaseTypeName,
    int SequentialAttributeIndex,
    bool SequentialMalformed,
    EquatableArray<int> InputShape,
    LossKind Loss,
    bool LossDeclared,
    EquatableArray<LayerDeclaration> Layers,
    int LanguageVersion,
    EquatableArray<string> UserMembers,
    EquatableArray<string> UnchainedConstructors = default,
    int SequentialPart = 0,
    bool IsAbstract = false,
    WeightsArgument? Weights = null)
{
    /// <summary>The fully qualified name without <c>global::</c>, for file names and messages.</summary>
    public string FullName
    {
        get
        {
            var name = ClassName;
            for (int i = ContainingTypes.Count - 1; i >= 0; i--)
            {
                name = ContainingTypes[i].Name + "." + name;
            }

            return Namespace.Length == 0 ? name : Namespace + "." + name;
        }
    }
}

/// <summary>A type the model class is nested in, outermost first. Only the outermost can be <see cref="IsFileLocal"/>.</summary>
internal sealed record ContainingType(string Keyword, string Name, bool IsPartial, bool IsFileLocal = false);

/// <summary>
/// One layer attribute as written. <see cref="Malformed"/> means the compiler could not bind it (it reports that itself;
/// its <see cref="Arguments"/> are then the kind's defaults). <see cref="Arguments"/> are what its kind's descriptor read
/// (see <see cref="Layers.LayerDescriptor.Read"/>). <see cref="Part"/> is the partial declaration it is written on (see
/// <see cref="NetworkDeclaration.SequentialPart"/>).
/// </summary>
internal sealed record LayerDeclaration(
    LayerKind Kind,
    int AttributeIndex,
    bool Malformed,
    string? Name,
    LayerArguments Arguments,
    int Part = 0);
