using System.Collections.Generic;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// Where every declared tensor lives in the flat parameter buffer: the trainable tensors first, layer by layer in
/// declaration order, so the optimizer steps over a prefix; then the non-trainable ones (statistics, moving averages),
/// again in layer order. The tensor table, the views and the weights file all read these offsets.
/// </summary>
internal static class ParameterLayout
{
    /// <summary>A layer's spec from what it declared, every offset still 0 (a validated model's sizes fit an int).</summary>
    public static LayerSpec Spec(LayerKind kind, LayerDeclarations declared)
    {
        var tensors = new List<TensorSpec>();
        foreach (LayerDeclarations.DeclaredTensor t in declared.Tensors)
        {
            tensors.Add(new TensorSpec(t.Role, t.Member, Shape.Of(t.Shape), t.Trainable, t.Initializer, t.Doc,
                Clamp(t.FanIn), Clamp(t.FanOut), t.L2, t.InitializerNote));
        }

        var buffers = new List<BufferSpec>();
        foreach (LayerDeclarations.DeclaredBuffer b in declared.Buffers)
        {
            buffers.Add(new BufferSpec(b.Field, b.Role, Clamp(b.Length), b.HoldsOutput, b.InInference, b.PerSample, b.IsInt, b.Shared));
        }

        return new LayerSpec(kind, declared.Name, declared.Identifier, Shape.Of(declared.Input), Shape.Of(declared.Output),
            declared.Arguments, tensors.ToEquatableArray(), buffers.ToEquatableArray());
    }

    /// <summary>Sets every tensor's offset and each layer's parameter offset; returns the total and the trainable count.</summary>
    public static (int Total, int Trainable) Assign(List<LayerSpec> specs)
    {
        int offset = 0;
        var trainableStart = new int[specs.Count];
        for (int i = 0; i < specs.Count; i++)
        {
            trainableStart[i] = offset;
            (specs[i], offset) = Place(specs[i], offset, trainable: true);
        }

        int trainableCount = offset;
        for (int i = 0; i < specs.Count; i++)
        {
            int start = offset;
            (specs[i], offset) = Place(specs[i], offset, trainable: false);

            // A layer's parameters start at its first tensor: its trainable ones if it has any, else its statistics.
            specs[i] = specs[i] with { ParameterOffset = specs[i].IsTrainable || offset == start ? trainableStart[i] : start };
        }

        return (offset, trainableCount);
    }

    private static (LayerSpec Spec, int Offset) Place(LayerSpec spec, int offset, bool trainable)
    {
        var tensors = new TensorSpec[spec.Tensors.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            TensorSpec tensor = spec.Tensors[i];
            if (tensor.Trainable == trainable)
            {
                tensor = tensor with { Offset = offset };
                offset += tensor.Length;
            }

            tensors[i] = tensor;
        }

        return (spec with { Tensors = tensors.ToEquatableArray() }, offset);
    }

    private static int Clamp(long size) => size > int.MaxValue ? int.MaxValue : (int)size;
}
