using System.Collections.Generic;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// A per-sample shape (without the batch dimension): rank and dimensions, as Keras's <c>(None, 13, 13, 32)</c> less
/// its <c>None</c>. Value-equatable, so the pipeline models that hold it cache.
/// </summary>
internal sealed record Shape(EquatableArray<int> Dimensions)
{
    public int Rank => Dimensions.Count;

    /// <summary>Floats per sample: the product of the dimensions (validated models keep it within an int).</summary>
    public int Size
    {
        get
        {
            int size = 1;
            foreach (int d in Dimensions)
            {
                size *= d;
            }

            return size;
        }
    }

    public int this[int axis] => Dimensions[axis];

    /// <summary>"13, 13, 32": the dimensions as the summary, comments and diagnostics write them.</summary>
    public override string ToString() => string.Join(", ", Dimensions);

    public static Shape Of(params int[] dimensions) => new(dimensions.ToEquatableArray());

    /// <summary>A shape inferred in longs (see the validator), each dimension clamped to an int.</summary>
    public static Shape Of(IReadOnlyList<long> dimensions)
    {
        var ints = new int[dimensions.Count];
        for (int i = 0; i < ints.Length; i++)
        {
            ints[i] = dimensions[i] > int.MaxValue ? int.MaxValue : (int)dimensions[i];
        }

        return new Shape(ints.ToEquatableArray());
    }
}
