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

    /// <summary>The index of the first layer with a trainable tensor: the backward pass stops there (every valid model has one, its output layer).</summary>
    public int FirstTrainableLayer
    {
        get
        {
            for (int i = 0; i < Layers.Count; i++)
            {
                if (Layers[i].IsTrainable)
                {
                    return i;
                }
            }

            return Layers.Count;
        }
    }
}
