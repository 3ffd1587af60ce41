using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>Bias broadcast over the rows of a batch, and its gradient.</summary>
public static class Bias
{
    /// <summary>y[r, :] += bias for each of <paramref name="rows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddToRows(Span<float> y, ReadOnlySpan<float> bias, int rows)
    {
        int n = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = y.Slice(r * n, n);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>db = Σ over rows of dy[r, :] (overwrites <paramref name="gradient"/>; zero when there are no rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gradient(ReadOnlySpan<float> dy, Span<float> gradient, int rows)
    {
        int n = gradient.Length;
        if (rows == 0)
        {
            gradient.Clear();
            return;
        }

        dy[..n].CopyTo(gradient);
        for (int r = 1; r < rows; r++)
        {
            TensorPrimitives.Add(gradient, dy.Slice(r * n, n), gradient);
        }
    }
}
