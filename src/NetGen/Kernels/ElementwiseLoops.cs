using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>An element-wise operation of one input and a scalar parameter, written once for every vector width.</summary>
internal interface IUnaryOperator
{
    static abstract TVec Invoke<TOps, TVec>(TVec x, TVec parameter)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct;
}

/// <summary>An element-wise operation of two inputs and a scalar parameter, written once for every vector width.</summary>
internal interface IBinaryOperator
{
    static abstract TVec Invoke<TOps, TVec>(TVec x, TVec y, TVec parameter)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct;
}

/// <summary>
/// One pass of a kernel over columns j.. of its buffers (every row of them, for kernels over rows of n values), in
/// whole registers of one width, written once for every width; <see cref="ElementwiseLoops.ByTier"/> runs it from the
/// widest to the narrowest. <c>a</c>, <c>b</c> and <c>c</c> are the pass's buffers, in its own order.
/// </summary>
internal interface IColumnPass
{
    /// <summary>Returns the first column left over.</summary>
    static abstract nuint Columns<TOps, TVec>(ref float a, ref float b, ref float c, nuint n, int rows, nuint j, float parameter)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct;
}

/// <summary>
/// The loop shapes shared by the element-wise kernels. Each runs the widest tier <see cref="Simd"/> allows, then hands
/// what is left to the next narrower width, down to scalar, so at most 3 elements run scalar. Tails are never
/// handled by re-running an overlapping last vector: that would read outputs already written when the destination
/// is one of the inputs, and in-place use (destination == input) is supported. Destinations must not partly overlap
/// an input.
/// </summary>
internal static class ElementwiseLoops
{
    /// <summary>destination[i] = TOp(x[i], parameter) for i &lt; x.Length.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <paramref name="x"/>.</exception>
    public static void Unary<TOp>(ReadOnlySpan<float> x, float parameter, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        CheckLength(destination.Length, x.Length, nameof(destination));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ByTier<UnaryPass<TOp>>(ref xs, ref xs, ref MemoryMarshal.GetReference(destination), (nuint)x.Length, rows: 1, parameter);
    }

    /// <summary>destination[i] = TOp(x[i], y[i], parameter) for i &lt; x.Length.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> or the destination is shorter than <paramref name="x"/>.</exception>
    public static void Binary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float parameter, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        CheckLength(y.Length, x.Length, nameof(y));
        CheckLength(destination.Length, x.Length, nameof(destination));
        ByTier<BinaryPass<TOp>>(
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(destination),
            (nuint)x.Length, rows: 1, parameter);
    }

    /// <summary>
    /// Runs <typeparamref name="TPass"/> from column 0 with the widest tier <see cref="Simd.EffectiveTier"/> allows, then
    /// with each narrower width on the columns left over, down to scalar.
    /// </summary>
    public static void ByTier<TPass>(ref float a, ref float b, ref float c, nuint n, int rows, float parameter)
        where TPass : struct, IColumnPass
    {
        nuint j = 0;
        SimdTier tier = Simd.EffectiveTier;
        if (tier >= SimdTier.Vector512)
        {
            j = TPass.Columns<Vector512Ops, Vector512<float>>(ref a, ref b, ref c, n, rows, j, parameter);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = TPass.Columns<Vector256Ops, Vector256<float>>(ref a, ref b, ref c, n, rows, j, parameter);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = TPass.Columns<Vector128Ops, Vector128<float>>(ref a, ref b, ref c, n, rows, j, parameter);
        }

        _ = TPass.Columns<ScalarOps, float>(ref a, ref b, ref c, n, rows, j, parameter);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLength(int actual, int needed, string name)
    {
        if (actual < needed)
        {
            throw new ArgumentException($"Span '{name}' has {actual} elements; {needed} are needed.", name);
        }
    }

    /// <summary>c[i] = TOp(a[i], parameter); <c>b</c> is unused.</summary>
    private readonly struct UnaryPass<TOp> : IColumnPass
        where TOp : struct, IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static nuint Columns<TOps, TVec>(ref float a, ref float b, ref float c, nuint n, int rows, nuint j, float parameter)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint width = (nuint)TOps.Count;
            TVec p = TOps.Broadcast(parameter);
            for (; j + width <= n; j += width)
            {
                TOps.Store(TOp.Invoke<TOps, TVec>(TOps.Load(ref a, j), p), ref c, j);
            }

            return j;
        }
    }

    /// <summary>c[i] = TOp(a[i], b[i], parameter).</summary>
    private readonly struct BinaryPass<TOp> : IColumnPass
        where TOp : struct, IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static nuint Columns<TOps, TVec>(ref float a, ref float b, ref float c, nuint n, int rows, nuint j, float parameter)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint width = (nuint)TOps.Count;
            TVec p = TOps.Broadcast(parameter);
            for (; j + width <= n; j += width)
            {
                TOps.Store(TOp.Invoke<TOps, TVec>(TOps.Load(ref a, j), TOps.Load(ref b, j), p), ref c, j);
            }

            return j;
        }
    }
}
