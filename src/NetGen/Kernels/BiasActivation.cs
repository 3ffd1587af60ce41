using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// A dense layer's bias and ReLU (or leaky ReLU) in one pass over its batch, and in the backward pass the activation's
/// derivative and the bias gradient in one pass: separately, each pair reads the layer's output twice. The generated
/// code calls these for ReLU and leaky ReLU layers; other activations run as separate passes.
/// </summary>
/// <remarks>
/// Every element gets exactly the operations of the separate passes (<see cref="Bias.AddToRows"/> then
/// <see cref="Activations.Relu"/> or <see cref="Activations.LeakyRelu"/>; <see cref="Activations.ReluBackward"/> or
/// <see cref="Activations.LeakyReluBackward"/> then <see cref="Bias.Gradient"/>, which sums rows in order), so the
/// results are the same bits on every SIMD tier, up to which payload a NaN result carries when two different NaNs
/// meet (the JIT may put an addition's operands either way round). The output <c>a</c> may be <c>z</c> itself;
/// otherwise the buffers must not overlap.
/// </remarks>
public static class BiasActivation
{
    /// <summary>z[r, :] += bias, then a = max(z, 0), for <paramref name="rows"/> rows of bias.Length values.</summary>
    public static void AddBiasRelu(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, int rows) =>
        Forward<Relu>(z, bias, a, rows, 0f);

    /// <summary>z[r, :] += bias, then a = z for z &gt; 0, else alpha·z.</summary>
    public static void AddBiasLeakyRelu(Span<float> z, ReadOnlySpan<float> bias, float alpha, Span<float> a, int rows) =>
        Forward<LeakyRelu>(z, bias, a, rows, alpha);

    /// <summary>
    /// In place, gradient = da where z &gt; 0, else 0 (now dz); then biasGradient = Σ over rows of dz (overwritten; zero
    /// when there are no rows).
    /// </summary>
    public static void ReluBackward(ReadOnlySpan<float> z, Span<float> gradient, Span<float> biasGradient, int rows) =>
        Backward<Relu>(z, gradient, biasGradient, rows, 0f);

    /// <summary>As <see cref="ReluBackward"/>, with dz = alpha·da where z is not positive.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> z, Span<float> gradient, float alpha, Span<float> biasGradient, int rows) =>
        Backward<LeakyRelu>(z, gradient, biasGradient, rows, alpha);

    /// <summary>
    /// The forward pass on rows already checked, for a caller that runs it block by block while the block is in cache
    /// (<see cref="Conv2D.ForwardBiasRelu"/>): the same operations on every element as <see cref="AddBiasRelu"/> or
    /// <see cref="AddBiasLeakyRelu"/>.
    /// </summary>
    internal static void ForwardRows(ref float z, ref float bias, ref float a, int columns, int rows, bool leaky, float alpha)
    {
        if (leaky)
        {
            ElementwiseLoops.ByTier<ForwardPass<LeakyRelu>>(ref z, ref bias, ref a, (nuint)columns, rows, alpha);
        }
        else
        {
            ElementwiseLoops.ByTier<ForwardPass<Relu>>(ref z, ref bias, ref a, (nuint)columns, rows, 0f);
        }
    }

    private static void Forward<TActivation>(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, int rows, float alpha)
        where TActivation : struct, IActivation
    {
        int n = bias.Length;
        Check(rows, n, z.Length, nameof(z));
        Check(rows, n, a.Length, nameof(a));
        ElementwiseLoops.ByTier<ForwardPass<TActivation>>(
            ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(bias), ref MemoryMarshal.GetReference(a), (nuint)n, rows, alpha);
    }

    private static void Backward<TActivation>(ReadOnlySpan<float> z, Span<float> gradient, Span<float> biasGradient, int rows, float alpha)
        where TActivation : struct, IActivation
    {
        int n = biasGradient.Length;
        Check(rows, n, z.Length, nameof(z));
        Check(rows, n, gradient.Length, nameof(gradient));
        if (rows == 0)
        {
            biasGradient.Clear();
            return;
        }

        ElementwiseLoops.ByTier<BackwardPass<TActivation>>(
            ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(gradient), ref MemoryMarshal.GetReference(biasGradient),
            (nuint)n, rows, alpha);
    }

    private static void Check(int rows, int columns, int length, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (length < (long)rows * columns)
        {
            throw new ArgumentException($"Span '{name}' has {length} elements; {rows} rows of {columns} need {(long)rows * columns}.", name);
        }
    }

    /// <summary>z += bias, then the activation into a: columns from j in whole registers, every row.</summary>
    private readonly struct ForwardPass<TActivation> : IColumnPass
        where TActivation : struct, IActivation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static nuint Columns<TOps, TVec>(ref float z, ref float bias, ref float a, nuint n, int rows, nuint j, float alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint width = (nuint)TOps.Count;
            TVec slope = TOps.Broadcast(alpha);
            for (; j + width <= n; j += width)
            {
                TVec b = TOps.Load(ref bias, j);
                for (nuint at = j, end = j + ((nuint)rows * n); at < end; at += n)
                {
                    TVec zr = TOps.Add(TOps.Load(ref z, at), b);
                    TOps.Store(zr, ref z, at);
                    TOps.Store(TActivation.Forward<TOps, TVec>(zr, slope), ref a, at);
                }
            }

            return j;
        }
    }

    /// <summary>The derivative in place in the gradient, and the bias gradient: columns from j, every row in order.</summary>
    private readonly struct BackwardPass<TActivation> : IColumnPass
        where TActivation : struct, IActivation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static nuint Columns<TOps, TVec>(ref float z, ref float gradient, ref float biasGradient, nuint n, int rows, nuint j, float alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint width = (nuint)TOps.Count;
            TVec slope = TOps.Broadcast(alpha);
            for (; j + width <= n; j += width)
            {
                // Row 0 starts the sum and later rows add to it, in order, as Bias.Gradient does.
                TVec dz = TActivation.Derivative<TOps, TVec>(TOps.Load(ref z, j), TOps.Load(ref gradient, j), slope);
                TOps.Store(dz, ref gradient, j);
                TVec sum = dz;
                for (nuint at = j + n, end = j + ((nuint)rows * n); at < end; at += n)
                {
                    dz = TActivation.Derivative<TOps, TVec>(TOps.Load(ref z, at), TOps.Load(ref gradient, at), slope);
                    TOps.Store(dz, ref gradient, at);
                    sum = TOps.Add(sum, dz);
                }

                TOps.Store(sum, ref biasGradient, j);
            }

            return j;
        }
    }

    /// <summary>An activation's forward value from z, and its derivative applied to da (from z).</summary>
    private interface IActivation
    {
        static abstract TVec Forward<TOps, TVec>(TVec z, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct;

        static abstract TVec Derivative<TOps, TVec>(TVec z, TVec da, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct;
    }

    /// <summary>max(z, 0), as TensorPrimitives.Max (NaN stays NaN); dz = z &gt; 0 ? da : 0.</summary>
    private readonly struct Relu : IActivation
    {
        public static TVec Forward<TOps, TVec>(TVec z, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.Max(z, TOps.Zero);

        public static TVec Derivative<TOps, TVec>(TVec z, TVec da, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.SelectWherePositive(z, da, TOps.Zero);
    }

    /// <summary>z &gt; 0 ? z : alpha·z; dz = z &gt; 0 ? da : alpha·da.</summary>
    private readonly struct LeakyRelu : IActivation
    {
        public static TVec Forward<TOps, TVec>(TVec z, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.SelectWherePositive(z, z, TOps.Multiply(alpha, z));

        public static TVec Derivative<TOps, TVec>(TVec z, TVec da, TVec alpha)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct => TOps.SelectWherePositive(z, da, TOps.Multiply(alpha, da));
    }
}
