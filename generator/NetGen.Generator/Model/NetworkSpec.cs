using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>A validated network with every shape inferred: all the emitter needs, and nothing else.</summary>
internal sealed record NetworkSpec(
    string Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContainingType> ContainingTypes,
    EquatableArray<int> InputShape,
    int InputSize,
    LossKind Loss,
    EquatableArray<LayerSpec> Layers,
    int ParameterCount)
{
    public LayerSpec OutputLayer => Layers[Layers.Count - 1];

    public int OutputSize => OutputLayer.OutputSize;
}

/// <summary>
/// One layer with its inferred shapes and its place in the flat parameter buffer. <see cref="Identifier"/> is the
/// PascalCase form of <see cref="Name"/> used for the generated members.
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    string Name,
    string Identifier,
    int InputSize,
    EquatableArray<int> OutputShape,
    int OutputSize,
    ActivationKind Activation,
    double Alpha,
    double Rate,
    int KernelOffset,
    int BiasOffset)
{
    public int KernelLength => Kind == LayerKind.Dense ? InputSize * OutputSize : 0;

    public int BiasLength => Kind == LayerKind.Dense ? OutputSize : 0;

    public int ParameterCount => KernelLength + BiasLength;
}
