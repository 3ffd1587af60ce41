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
        foreach ((string name, TensorSpec tensor) in spec.TensorsInBufferOrder())
        {
            tensors.Add(new ExpectedTensor(name, tensor.Shape.Dimensions, tensor.Offset, tensor.Length));
        }

        return tensors.ToEquatableArray();
    }
}
