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
    int ParameterCount,
    int TrainableParameterCount,
    bool IsAbstract = false,
    bool HasUserConstructors = false)
{
    public LayerSpec OutputLayer => Layers[Layers.Count - 1];

    public int OutputSize => OutputLayer.OutputSize;
}

/// <summary>
/// One layer with its inferred shapes and its place in the flat parameter buffer. <see cref="Identifier"/> is the
/// PascalCase form of <see cref="Name"/> used for the generated members. For a Normalization layer
/// <see cref="KernelOffset"/> is where its mean starts and <see cref="BiasOffset"/> its variance (then the count).
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
    int BiasOffset,
    double KernelL2 = 0)
{
    public int KernelLength => Kind == LayerKind.Dense ? InputSize * OutputSize : 0;

    public int BiasLength => Kind == LayerKind.Dense ? OutputSize : 0;

    /// <summary>A Normalization layer's statistics: mean and variance per feature, and the sample count (Keras's 2·features + 1).</summary>
    public int NonTrainableCount => Kind == LayerKind.Normalization ? (2 * OutputSize) + 1 : 0;

    public int ParameterCount => KernelLength + BiasLength + NonTrainableCount;
}
