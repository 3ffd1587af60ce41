using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// Activation functions over whole batches, and their backward passes. Forward functions read the pre-activation z
/// and write the activation a; backward functions turn da (the gradient at the activation) into dz. Each backward
/// reads whichever of z or a gives the cheapest exact derivative.
/// </summary>
/// <remarks>
/// Element-wise functions take their element count from their first argument; the other spans may be longer, never
/// shorter (<see cref="ArgumentException"/>). The output may be the same span as an input (in place) but must not
/// otherwise overlap one. Relu, Sigmoid, Tanh and SoftmaxBackward run on TensorPrimitives, Softmax on AVX-512 row
/// kernels where it can (the internal <c>RowReductions</c>); the rest run on
/// NetGen's own tiered loops (<see cref="Simd"/>), which give the same bits on every tier.
/// </remarks>
public static class Activations
{
    /// <summary>a = max(z, 0).</summary>
    public static void Relu(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Max(z, 0f, a);

    /// <summary>a = z for z &gt; 0, else alpha·z.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> z, float alpha, Span<float> a) =>
        ElementwiseLoops.Unary<LeakyReluOperator>(z, alpha, a);

    /// <summary>a = σ(z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> a)
    {
        // TensorPrimitives.Sigmoid rejects empty input; an empty batch is simply nothing to do.
        if (!z.IsEmpty)
        {
            TensorPrimitives.Sigmoid(z, a);
        }
    }

    /// <summary>a = tanh(z).</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Tanh(z, a);

    /// <summary>
    /// Row-wise softmax over rows of <paramref name="columns"/> values. The row's maximum is subtracted before
    /// exponentiating so large logits cannot overflow: a = exp(z − max z) / Σ exp(z − max z). TensorPrimitives.SoftMax
    /// does not shift, and exp(89) already overflows float. The rows run in NetGen's own AVX-512 row kernel where the
    /// hardware has it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is shorter than the whole rows of <paramref name="z"/>.</exception>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int rows = z.Length / columns;
        if (a.Length < rows * columns)
        {
            throw new ArgumentException($"The destination holds {a.Length} values; {rows} rows of {columns} need {rows * columns}.", nameof(a));
        }

        RowReductions.Softmax(z, a, columns, rows);
    }

    /// <summary>dz = da where z &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> da, Span<float> dz) =>
        ElementwiseLoops.Binary<ReluDerivativeOperator>(z, da, 0f, dz);

    /// <summary>dz = da where z &gt; 0, else alpha·da.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> da, float alpha, Span<float> dz) =>
        ElementwiseLoops.Binary<LeakyReluDerivativeOperator>(z, da, alpha, dz);

    /// <summary>dz = da·a·(1 − a), from the sigmoid's output a.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz) =>
        ElementwiseLoops.Binary<SigmoidDerivativeOperator>(a, da, 0f, dz);

    /// <summary>dz = da·(1 − a²), from tanh's output a.</summary>
    public static void TanhBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz) =>
        ElementwiseLoops.Binary<TanhDerivativeOperator>(a, da, 0f, dz);

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

    // The operators below are the "what" of the element-wise kernels; ElementwiseLoops is the "how". Each is
    // evaluated in the same order as the scalar formula in its kernel's doc comment, so every tier rounds alike.

    /// <summary>z &gt; 0 ? z : alpha·z.</summary>
    private readonly struct LeakyReluOperator : IUnaryOperator
    {
        public static TVec Invoke<TOps, TVec>(TVec z, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.SelectWherePositive(z, z, TOps.Multiply(alpha, z));
    }

    /// <summary>z &gt; 0 ? da : 0.</summary>
    private readonly struct ReluDerivativeOperator : IBinaryOperator
    {
        public static TVec Invoke<TOps, TVec>(TVec z, TVec da, TVec unused)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.SelectWherePositive(z, da, TOps.Zero);
    }

    /// <summary>z &gt; 0 ? da : alpha·da.</summary>
    private readonly struct LeakyReluDerivativeOperator : IBinaryOperator
    {
        public static TVec Invoke<TOps, TVec>(TVec z, TVec da, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.SelectWherePositive(z, da, TOps.Multiply(alpha, da));
    }

    /// <summary>(da·a)·(1 − a).</summary>
    private readonly struct SigmoidDerivativeOperator : IBinaryOperator
    {
        public static TVec Invoke<TOps, TVec>(TVec a, TVec da, TVec unused)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.Multiply(TOps.Multiply(da, a), TOps.Subtract(TOps.Broadcast(1f), a));
    }

    /// <summary>da·(1 − a·a).</summary>
    private readonly struct TanhDerivativeOperator : IBinaryOperator
    {
        public static TVec Invoke<TOps, TVec>(TVec a, TVec da, TVec unused)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.Multiply(da, TOps.Subtract(TOps.Broadcast(1f), TOps.Multiply(a, a)));
    }
}
