using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>
/// The L2 kernel regularizers of a network (<see cref="DenseAttribute.KernelL2"/>): each adds L2·Σw² over its kernel
/// to the loss, as Keras adds a layer's regularization losses to the training loss, and 2·L2·w to the kernel's gradient.
/// </summary>
internal sealed class Regularization
{
    private readonly TensorInfo[] _kernels;

    private Regularization(TensorInfo[] kernels) => _kernels = kernels;

    /// <summary>The regularizers of <paramref name="info"/>'s kernels, or null when it has none.</summary>
    public static Regularization? Of(NetworkInfo info)
    {
        var kernels = new List<TensorInfo>();
        foreach (TensorInfo t in info.Tensors)
        {
            // Kernels only: a bias or a normalization statistic is never regularized.
            if (t.L2 != 0f && t.IsKernel)
            {
                kernels.Add(t);
            }
        }

        return kernels.Count == 0 ? null : new Regularization([.. kernels]);
    }

    /// <summary>Σ L2·Σw² over the regularized kernels, summed in double.</summary>
    public double Penalty(ReadOnlySpan<float> parameters)
    {
        double penalty = 0;
        foreach (TensorInfo t in _kernels)
        {
            penalty += t.L2 * Optimizers.Optimizer.SumOfSquares(parameters.Slice(t.Offset, t.Length));
        }

        return penalty;
    }

    /// <summary>Adds the penalty's gradient, 2·L2·w, to each regularized kernel's gradient.</summary>
    public void AddGradient(ReadOnlySpan<float> parameters, Span<float> gradients)
    {
        foreach (TensorInfo t in _kernels)
        {
            Span<float> g = gradients.Slice(t.Offset, t.Length);
            TensorPrimitives.MultiplyAdd(parameters.Slice(t.Offset, t.Length), 2f * t.L2, g, g);
        }
    }
}
