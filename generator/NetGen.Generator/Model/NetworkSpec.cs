using System.Collections.Generic;
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

    /// <summary>
    /// Every tensor in the flat buffer's order, the trainable ones first: the order of the generated tensor table, of the
    /// weights file, and of the compiled-in weights check. <c>Name</c> is the tensor's name in NetworkInfo and in files
    /// (<c>dense.kernel</c>).
    /// </summary>
    public IEnumerable<(string Name, TensorSpec Tensor)> TensorsInBufferOrder()
    {
        foreach (bool trainable in new[] { true, false })
        {
            foreach (LayerSpec layer in Layers)
            {
                foreach (TensorSpec tensor in layer.Tensors)
                {
                    if (tensor.Trainable == trainable)
                    {
                        yield return (layer.Name + "." + tensor.Role, tensor);
                    }
                }
            }
        }
    }

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
