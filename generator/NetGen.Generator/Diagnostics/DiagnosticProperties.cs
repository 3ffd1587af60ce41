namespace NetGen.Generator.Diagnostics;

/// <summary>
/// The keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that NetGen's analyzers set, for the code
/// fixes (NetGen.CodeFixes) to read: what the validator inferred and a fix needs, so the fix never re-derives it.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>On NG0107: the input size the layer actually receives (invariant-culture integer), to write as its InputSize.</summary>
    public const string InferredInputSize = "InferredInputSize";

    /// <summary>On NG0126: the input shape with the channel dimension added, as invariant-culture integers joined by ',' ("28,28,1"), to write as the Sequential's input shape.</summary>
    public const string ShapeWithChannel = "ShapeWithChannel";
}
