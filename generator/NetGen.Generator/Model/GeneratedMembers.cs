using System.Collections.Generic;
using NetGen.Generator.Layers;

namespace NetGen.Generator.Model;

/// <summary>
/// Every member name the emitter declares in a model class, so the validator can refuse a model whose names would
/// collide in the generated code (CS0102, CS0542) instead of emitting code that does not compile. The members named
/// after a layer are what its descriptor declares (<see cref="LayerDescriptor.Declare"/>), the one list the emitter
/// writes them from; a test checks every member declared in generated code is listed here.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>What every model declares: the public constants, the overrides, and the private helpers and fields.</summary>
    public static readonly string[] Fixed =
    [
        "InputSize", "OutputSize", "ParameterCount", "Summary",
        "InitializeParameters", "CreateInstance", "ForwardCore", "BackwardCore", "ComputeLossCore", "EnsureCapacity",
        "InferenceScratchPerSample", "InferCore", "InferenceLossCore", "WidestActivation",
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

    /// <summary>The methods a model that compiles its weights in (<c>[Sequential(Weights = …)]</c>) also declares.</summary>
    public static readonly string[] EmbeddedWeightsMethods = ["FromEmbeddedWeights", "LoadEmbeddedWeights", "EmbeddedWeightsData"];

    /// <summary>Their signatures, as <see cref="MethodSignatures"/>.</summary>
    public static readonly string[] EmbeddedWeightsSignatures = ["FromEmbeddedWeights(long?)", "LoadEmbeddedWeights()", "EmbeddedWeightsData(int)"];

    /// <summary>What a layer declares, with its shapes unknown: enough for its names.</summary>
    public static LayerDeclarations Declared(LayerDeclaration layer, string identifier)
    {
        var declared = new LayerDeclarations(layer.Arguments, layer.Name ?? identifier, identifier, null, null);
        LayerRegistry.Of(layer.Kind).Declare(declared);
        return declared;
    }

    /// <summary>The public views over the parameter buffer a layer gets: each tensor's, then the trainable ones' gradients.</summary>
    public static IEnumerable<string> Views(LayerDeclaration layer, string identifier) => Declared(layer, identifier).Views();

    /// <summary>Every member named after a layer: its views, then its buffers.</summary>
    public static IEnumerable<string> OfLayer(LayerDeclaration layer, string identifier) => Declared(layer, identifier).Members();

    /// <summary>Members a layer makes the model declare under fixed names (shared buffers, model members such as <c>AdaptCore</c>).</summary>
    public static IEnumerable<string> SharedOfLayer(LayerDeclaration layer, string identifier) => Declared(layer, identifier).SharedMembers();

    /// <summary>Every member a validated layer makes the model declare: those named after it, from the tensors and buffers it declared, and its shared ones.</summary>
    public static IEnumerable<string> OfLayer(LayerSpec layer)
    {
        var declared = new LayerDeclarations(layer.Arguments, layer.Name, layer.Identifier, null, null);
        layer.Descriptor.Declare(declared);
        foreach (string shared in declared.SharedMembers())
        {
            yield return shared;
        }

        foreach (TensorSpec tensor in layer.Tensors)
        {
            yield return tensor.Member;
        }

        foreach (TensorSpec tensor in layer.Tensors)
        {
            if (tensor.Trainable)
            {
                yield return tensor.GradientMember;
            }
        }

        foreach (BufferSpec buffer in layer.Buffers)
        {
            if (!buffer.Shared)
            {
                yield return buffer.Field;
            }
        }
    }
}
