using System.Collections.Generic;

namespace NetGen.Generator.Model;

/// <summary>
/// Every member name the emitter declares in a model class, so the validator can refuse a model whose names would
/// collide in the generated code (CS0102, CS0542) instead of emitting code that does not compile. The emitter names
/// its layer buffers through <see cref="Buffers"/>; a test checks every member declared in generated code is listed here.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>What every model declares: the public constants, the overrides, and the private helpers and fields.</summary>
    public static readonly string[] Fixed =
    [
        "InputSize", "OutputSize", "ParameterCount", "Summary",
        "InitializeParameters", "CreateInstance", "ForwardCore", "BackwardCore", "ComputeLossCore", "EnsureCapacity",
        "InferenceScratchPerSample", "InferCore", "InferenceLossCore",
        "s_info", "_capacity", "_gradientPing", "_gradientPong",
    ];

    /// <summary>The methods among <see cref="Fixed"/>: a user method of the same name is a legal overload unless its signature is in <see cref="MethodSignatures"/>.</summary>
    public static readonly string[] Methods = ["InitializeParameters", "CreateInstance", "ForwardCore", "BackwardCore", "ComputeLossCore", "EnsureCapacity", "InferCore", "InferenceLossCore"];

    /// <summary>The signatures of the generated methods and constructor, as <see cref="Parsing.UserMembers"/> writes a user's.</summary>
    public static readonly string[] MethodSignatures =
    [
        ".ctor(long?)",
        "InitializeParameters(global::NetGen.Rng)",
        "CreateInstance()",
        "ForwardCore(global::System.ReadOnlySpan<float>, int, bool)",
        "BackwardCore(global::System.ReadOnlySpan<float>, global::System.ReadOnlySpan<float>, int)",
        "ComputeLossCore(global::System.ReadOnlySpan<float>, int)",
        "EnsureCapacity(int)",
        "InferCore(global::System.ReadOnlySpan<float>, int, global::System.Span<float>)",
        "InferenceLossCore(global::System.ReadOnlySpan<float>, global::System.ReadOnlySpan<float>, int, global::System.ReadOnlySpan<float>)",
    ];

    /// <summary>
    /// The public views over the parameter buffer a layer gets: {Layer}Kernel, {Layer}Bias and their gradients for
    /// Dense, {Layer}Mean, {Layer}Variance and {Layer}Count for Normalization.
    /// </summary>
    public static IEnumerable<string> Views(LayerKind kind, string identifier)
    {
        switch (kind)
        {
            case LayerKind.Dense:
                yield return identifier + "Kernel";
                yield return identifier + "Bias";
                yield return identifier + "KernelGradient";
                yield return identifier + "BiasGradient";
                break;
            case LayerKind.Normalization:
                yield return identifier + "Mean";
                yield return identifier + "Variance";
                yield return identifier + "Count";
                break;
            case LayerKind.Conv2D:
                yield return identifier + "Kernel";
                yield return identifier + "Bias";
                yield return identifier + "KernelGradient";
                yield return identifier + "BiasGradient";
                break;
            case LayerKind.BatchNormalization:
                yield return identifier + "Gamma";
                yield return identifier + "Beta";
                yield return identifier + "MovingMean";
                yield return identifier + "MovingVariance";
                yield return identifier + "GammaGradient";
                yield return identifier + "BetaGradient";
                break;
        }
    }

    /// <summary>
    /// The per-batch buffers a layer owns: pre-activation (_{layer}Z) and, unless linear, activation (_{layer}A) for
    /// Dense; output and mask for a Dropout with a positive rate; output for Normalization.
    /// </summary>
    public static IEnumerable<string> Buffers(LayerKind kind, ActivationKind activation, double rate, string identifier)
    {
        string stem = "_" + char.ToLowerInvariant(identifier[0]) + identifier.Substring(1);
        switch (kind)
        {
            case LayerKind.Dense:
                yield return stem + "Z";
                if (activation != ActivationKind.Linear)
                {
                    yield return stem + "A";
                }

                break;
            case LayerKind.Dropout when rate > 0:
                yield return stem + "Output";
                yield return stem + "Mask";
                break;
            case LayerKind.Normalization:
                yield return stem + "Output";
                break;
        }
    }

    /// <summary>Every member named after a layer: its views, then its buffers.</summary>
    public static IEnumerable<string> OfLayer(LayerKind kind, ActivationKind activation, double rate, string identifier)
    {
        foreach (string view in Views(kind, identifier))
        {
            yield return view;
        }

        foreach (string buffer in Buffers(kind, activation, rate, identifier))
        {
            yield return buffer;
        }
    }
}
