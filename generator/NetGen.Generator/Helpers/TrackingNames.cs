namespace NetGen.Generator.Helpers;

/// <summary>Names of the incremental pipeline's steps, asserted by the caching tests.</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string Models = nameof(Models);
    public const string Stubs = nameof(Stubs);
    public const string AmbiguousHintNames = nameof(AmbiguousHintNames);

    /// <summary>The models that name a weights file (see <see cref="Model.WeightsRequest"/>).</summary>
    public const string WeightsRequests = nameof(WeightsRequests);

    /// <summary>The weights files the build handed over, read (see <see cref="Model.WeightsFile"/>).</summary>
    public const string WeightsFiles = nameof(WeightsFiles);

    /// <summary>Each weights request checked against its file (see <see cref="Model.WeightsOutcome"/>).</summary>
    public const string EmbeddedWeights = nameof(EmbeddedWeights);
}
