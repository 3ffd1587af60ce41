using System;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// Activation functions over whole batches, and their backward passes. Forward functions read the pre-activation z
/// and write the activation a; backward functions turn da (the gradient at the activation) into dz. Each backward
/// reads whichever of z or a gives the cheapest exact derivative.
/// </summary>
public static class Activations
{
    /// <summary>a = max(z, 0).</summary>
    public static void Relu(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Max(z, 0f, a);

    /// <summary>a = z for z &gt; 0, else alpha·z.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> z, float alpha, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = z[i] > 0f ? z[i] : alpha * z[i];
        }
    }

    /// <summary>a = σ(z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Sigmoid(z, a);

    /// <summary>a = tanh(z).</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Tanh(z, a);

    /// <summary>
    /// Row-wise softmax over rows of <paramref name="columns"/> values. The row's maximum is subtracted before
    /// exponentiating so large logits cannot overflow (TensorPrimitives.SoftMax does not do this: logits of 100 give NaN).
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a, int columns)
    {
        int rows = z.Length / columns;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> zr = z.Slice(r * columns, columns);
            Span<float> ar = a.Slice(r * columns, columns);
            TensorPrimitives.Subtract(zr, TensorPrimitives.Max(zr), ar);
            TensorPrimitives.Exp(ar, ar);
            TensorPrimitives.Divide(ar, TensorPrimitives.Sum(ar), ar);
        }
    }

    /// <summary>dz = da where z &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> da, Span<float> dz)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dz[i] = z[i] > 0f ? da[i] : 0f;
        }
    }

    /// <summary>dz = da where z &gt; 0, else alpha·da.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> da, float alpha, Span<float> dz)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dz[i] = z[i] > 0f ? da[i] : alpha * da[i];
        }
    }

    /// <summary>dz = da·a·(1 − a), from the sigmoid's output a.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz)
    {
        for (int i = 0; i < a.Length; i++)
        {
            dz[i] = da[i] * a[i] * (1f - a[i]);
        }
    }

    /// <summary>dz = da·(1 − a²), from tanh's output a.</summary>
    public static void TanhBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz)
    {
        for (int i = 0; i < a.Length; i++)
        {
            dz[i] = da[i] * (1f - (a[i] * a[i]));
        }
    }

    /// <summary>Per row: dz = a ⊙ (da − (da·a)), the softmax Jacobian applied to da, from the softmax output a.</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int columns)
    {
        int rows = a.Length / columns;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> ar = a.Slice(r * columns, columns);
            ReadOnlySpan<float> dar = da.Slice(r * columns, columns);
            Span<float> dzr = dz.Slice(r * columns, columns);
            float dot = TensorPrimitives.Dot(ar, dar);
            TensorPrimitives.Subtract(dar, dot, dzr);
            TensorPrimitives.Multiply(dzr, ar, dzr);
        }
    }
}
