using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

// The kernel gradient of a short window (see IsDirect) computed straight from the input and dz, without unrolling.
public static partial class Conv2D
{
    /// <summary>
    /// dW[t, f] (+)= Σ over rows [<paramref name="firstRow"/>, + <paramref name="count"/>) of x[window(row) + tap t] ·
    /// dz[row, f]: four taps × two registers of filters at a time, one pass over the rows each, the taps broadcast
    /// from the input. Every element is one chain of fused multiply-adds over the rows in order, starting from 0 or,
    /// with <paramref name="accumulate"/>, from dW: the same order and rounding on every tier, scalar included.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void DirectKernelGradient(
        ref float x, ref float dz, ref float dw, in Conv2DGeometry g, int filters, int firstRow, int count, bool accumulate)
    {
        // The taps' offsets from a window's first cell, in kernel order, the last repeated up to a whole group of 4.
        Span<int> offsets = stackalloc int[DirectMaxDepth + 3];
        int taps = 0;
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                for (int c = 0; c < g.Channels; c++)
                {
                    offsets[taps++] = (((ky * g.InputWidth) + kx) * g.Channels) + c;
                }
            }
        }

        for (int t = taps; t < offsets.Length; t++)
        {
            offsets[t] = offsets[taps - 1];
        }

        SimdTier tier = Simd.EffectiveTier;
        nuint n = (nuint)filters;
        for (int t0 = 0; t0 < taps; t0 += 4)
        {
            var group = new TapGroup(offsets[t0], offsets[t0 + 1], offsets[t0 + 2], offsets[t0 + 3], t0, Math.Min(4, taps - t0), firstRow, count, accumulate);
            nuint j = 0;
            if (tier >= SimdTier.Vector512)
            {
                j = TapColumns<Vector512Ops, Vector512<float>>(ref x, ref dz, ref dw, in g, in group, n, j);
            }

            if (tier >= SimdTier.Vector256)
            {
                j = TapColumns<Vector256Ops, Vector256<float>>(ref x, ref dz, ref dw, in g, in group, n, j);
            }

            if (tier >= SimdTier.Vector128)
            {
                j = TapColumns<Vector128Ops, Vector128<float>>(ref x, ref dz, ref dw, in g, in group, n, j);
            }

            _ = TapColumns<ScalarOps, float>(ref x, ref dz, ref dw, in g, in group, n, j);
        }
    }

    /// <summary>Up to four taps (Valid of them real; the rest repeat the last and are not stored) and the rows to sum.</summary>
    private readonly record struct TapGroup(int Offset0, int Offset1, int Offset2, int Offset3, int FirstTap, int Valid, int FirstRow, int Count, bool Accumulate);

    /// <summary>The group's taps for columns from <paramref name="j"/>, two registers at a time, then one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint TapColumns<TOps, TVec>(ref float x, ref float dz, ref float dw, in Conv2DGeometry g, in TapGroup p, nuint n, nuint j)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count;
        nint o0 = p.Offset0, o1 = p.Offset1, o2 = p.Offset2, o3 = p.Offset3;
        ref float dw0 = ref Unsafe.Add(ref dw, (nint)p.FirstTap * (nint)n);
        ref float dzFirst = ref Unsafe.Add(ref dz, (nint)p.FirstRow * (nint)n);
        for (; j + (2 * width) <= n; j += 2 * width)
        {
            TVec a0 = Start<TOps, TVec>(ref dw0, 0, n, j, in p), a1 = Start<TOps, TVec>(ref dw0, 1, n, j, in p);
            TVec a2 = Start<TOps, TVec>(ref dw0, 2, n, j, in p), a3 = Start<TOps, TVec>(ref dw0, 3, n, j, in p);
            TVec b0 = Start<TOps, TVec>(ref dw0, 0, n, j + width, in p), b1 = Start<TOps, TVec>(ref dw0, 1, n, j + width, in p);
            TVec b2 = Start<TOps, TVec>(ref dw0, 2, n, j + width, in p), b3 = Start<TOps, TVec>(ref dw0, 3, n, j + width, in p);
            var cursor = new PixelCursor(in g, p.FirstRow);
            nuint at = j;
            for (int row = 0; row < p.Count; row++, at += n)
            {
                ref float window = ref Unsafe.Add(ref x, cursor.Next());
                TVec da = TOps.Load(ref dzFirst, at), db = TOps.Load(ref dzFirst, at + width);
                TVec v0 = TOps.Broadcast(Unsafe.Add(ref window, o0)), v1 = TOps.Broadcast(Unsafe.Add(ref window, o1));
                TVec v2 = TOps.Broadcast(Unsafe.Add(ref window, o2)), v3 = TOps.Broadcast(Unsafe.Add(ref window, o3));
                a0 = TOps.MultiplyAdd(v0, da, a0);
                b0 = TOps.MultiplyAdd(v0, db, b0);
                a1 = TOps.MultiplyAdd(v1, da, a1);
                b1 = TOps.MultiplyAdd(v1, db, b1);
                a2 = TOps.MultiplyAdd(v2, da, a2);
                b2 = TOps.MultiplyAdd(v2, db, b2);
                a3 = TOps.MultiplyAdd(v3, da, a3);
                b3 = TOps.MultiplyAdd(v3, db, b3);
            }

            Finish<TOps, TVec>(a0, b0, ref dw0, 0, n, j, width, in p);
            Finish<TOps, TVec>(a1, b1, ref dw0, 1, n, j, width, in p);
            Finish<TOps, TVec>(a2, b2, ref dw0, 2, n, j, width, in p);
            Finish<TOps, TVec>(a3, b3, ref dw0, 3, n, j, width, in p);
        }

        for (; j + width <= n; j += width)
        {
            TVec a0 = Start<TOps, TVec>(ref dw0, 0, n, j, in p), a1 = Start<TOps, TVec>(ref dw0, 1, n, j, in p);
            TVec a2 = Start<TOps, TVec>(ref dw0, 2, n, j, in p), a3 = Start<TOps, TVec>(ref dw0, 3, n, j, in p);
            var cursor = new PixelCursor(in g, p.FirstRow);
            nuint at = j;
            for (int row = 0; row < p.Count; row++, at += n)
            {
                ref float window = ref Unsafe.Add(ref x, cursor.Next());
                TVec da = TOps.Load(ref dzFirst, at);
                a0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref window, o0)), da, a0);
                a1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref window, o1)), da, a1);
                a2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref window, o2)), da, a2);
                a3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref window, o3)), da, a3);
            }

            Finish<TOps, TVec>(a0, a0, ref dw0, 0, n, j, 0, in p);
            Finish<TOps, TVec>(a1, a1, ref dw0, 1, n, j, 0, in p);
            Finish<TOps, TVec>(a2, a2, ref dw0, 2, n, j, 0, in p);
            Finish<TOps, TVec>(a3, a3, ref dw0, 3, n, j, 0, in p);
        }

        return j;
    }

    /// <summary>A sum's start: the partial dW already there when accumulating a real tap, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start<TOps, TVec>(ref float dw0, int tap, nuint n, nuint column, in TapGroup p)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct =>
        p.Accumulate && tap < p.Valid ? TOps.Load(ref dw0, ((nuint)tap * n) + column) : TOps.Zero;

    /// <summary>Stores a real tap's sums (the second register too when <paramref name="width"/> is not 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TOps, TVec>(TVec first, TVec second, ref float dw0, int tap, nuint n, nuint column, nuint width, in TapGroup p)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        if (tap >= p.Valid)
        {
            return;
        }

        TOps.Store(first, ref dw0, ((nuint)tap * n) + column);
        if (width != 0)
        {
            TOps.Store(second, ref dw0, ((nuint)tap * n) + column + width);
        }
    }
}
