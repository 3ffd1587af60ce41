namespace NetGen.Generator.Helpers;

/// <summary>Names of the incremental pipeline's steps, asserted by the caching tests.</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string Models = nameof(Models);
    public const string Stubs = nameof(Stubs);
    public const string AmbiguousHintNames = nameof(AmbiguousHintNames);
}
