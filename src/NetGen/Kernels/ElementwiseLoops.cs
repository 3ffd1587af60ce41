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
        ref float ds = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length, i = 0;
        SimdTier tier = Simd.EffectiveTier;
        if (tier >= SimdTier.Vector512)
        {
            i = Unary<TOp, Vector512Ops, Vector512<float>>(ref xs, parameter, ref ds, i, length);
        }

        if (tier >= SimdTier.Vector256)
        {
            i = Unary<TOp, Vector256Ops, Vector256<float>>(ref xs, parameter, ref ds, i, length);
        }

        if (tier >= SimdTier.Vector128)
        {
            i = Unary<TOp, Vector128Ops, Vector128<float>>(ref xs, parameter, ref ds, i, length);
        }

        _ = Unary<TOp, ScalarOps, float>(ref xs, parameter, ref ds, i, length);
    }

    /// <summary>destination[i] = TOp(x[i], y[i], parameter) for i &lt; x.Length.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> or the destination is shorter than <paramref name="x"/>.</exception>
    public static void Binary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float parameter, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        CheckLength(y.Length, x.Length, nameof(y));
        CheckLength(destination.Length, x.Length, nameof(destination));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length, i = 0;
        SimdTier tier = Simd.EffectiveTier;
        if (tier >= SimdTier.Vector512)
        {
            i = Binary<TOp, Vector512Ops, Vector512<float>>(ref xs, ref ys, parameter, ref ds, i, length);
        }

        if (tier >= SimdTier.Vector256)
        {
            i = Binary<TOp, Vector256Ops, Vector256<float>>(ref xs, ref ys, parameter, ref ds, i, length);
        }

        if (tier >= SimdTier.Vector128)
        {
            i = Binary<TOp, Vector128Ops, Vector128<float>>(ref xs, ref ys, parameter, ref ds, i, length);
        }

        _ = Binary<TOp, ScalarOps, float>(ref xs, ref ys, parameter, ref ds, i, length);
    }

    /// <summary>Whole registers from <paramref name="i"/> on; returns the first index left over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nuint Unary<TOp, TOps, TVec>(ref float x, float parameter, ref float destination, nuint i, nuint length)
        where TOp : struct, IUnaryOperator
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count;
        TVec p = TOps.Broadcast(parameter);
        for (; i + width <= length; i += width)
        {
            TOps.Store(TOp.Invoke<TOps, TVec>(TOps.Load(ref x, i), p), ref destination, i);
        }

        return i;
    }

    /// <summary>Whole registers from <paramref name="i"/> on; returns the first index left over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nuint Binary<TOp, TOps, TVec>(ref float x, ref float y, float parameter, ref float destination, nuint i, nuint length)
        where TOp : struct, IBinaryOperator
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count;
        TVec p = TOps.Broadcast(parameter);
        for (; i + width <= length; i += width)
        {
            TOps.Store(TOp.Invoke<TOps, TVec>(TOps.Load(ref x, i), TOps.Load(ref y, i), p), ref destination, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLength(int actual, int needed, string name)
    {
        if (actual < needed)
        {
            throw new ArgumentException($"Span '{name}' has {actual} elements; {needed} are needed.", name);
        }
    }
}
