using System.Collections.Generic;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// The tensors a model's weights file holds, in parameter-buffer order: the names, shapes and offsets the generated
/// <c>NetworkInfo.Tensors</c> lists and <c>LoadWeights</c> checks a file against (Keras's layout). The one place the
/// weights check learns them from.
/// </summary>
internal static class ExpectedTensors
{
    public static EquatableArray<ExpectedTensor> Of(NetworkSpec spec)
    {
        var tensors = new List<ExpectedTensor>();
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind == LayerKind.Dense)
            {
                tensors.Add(new ExpectedTensor(layer.Name + ".kernel", new[] { layer.InputSize, layer.OutputSize }.ToEquatableArray(), layer.KernelOffset, layer.KernelLength));
                tensors.Add(new ExpectedTensor(layer.Name + ".bias", new[] { layer.OutputSize }.ToEquatableArray(), layer.BiasOffset, layer.BiasLength));
            }
        }

        // The non-trainable statistics come last in the buffer, as in NetworkInfo.Tensors.
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind == LayerKind.Normalization)
            {
                EquatableArray<int> features = new[] { layer.OutputSize }.ToEquatableArray();
                tensors.Add(new ExpectedTensor(layer.Name + ".mean", features, layer.KernelOffset, layer.OutputSize));
                tensors.Add(new ExpectedTensor(layer.Name + ".variance", features, layer.BiasOffset, layer.OutputSize));
                tensors.Add(new ExpectedTensor(layer.Name + ".count", new[] { 1 }.ToEquatableArray(), layer.BiasOffset + layer.OutputSize, 1));
            }
        }

        return tensors.ToEquatableArray();
    }
}
