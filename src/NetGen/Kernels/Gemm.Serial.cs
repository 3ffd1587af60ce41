using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

// Entries for kernels that split their own work over threads (Conv2D runs one product per chunk of windows on each
// thread): the same products, bit for bit, but always on the calling thread, so a part never tries to split again.
public static partial class Gemm
{
    /// <summary>C[m×n] (+)= A[m×k]·B[k×n] on this thread (no checks: callers pass exact, non-overlapping buffers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMulOnThisThread(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        var operands = new Operands(
            ref MemoryMarshal.GetReference(a), aRowStride: k, aDepthStride: 1,
            ref MemoryMarshal.GetReference(b), bTransposed: false, ref MemoryMarshal.GetReference(c), m, k, n, pack: default);
        MultiplyOnThisThread(in operands, accumulate);
    }

    /// <summary>C[m×n] (+)= A[k×m]ᵀ·B[k×n] on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMulTransAOnThisThread(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        var operands = new Operands(
            ref MemoryMarshal.GetReference(a), aRowStride: 1, aDepthStride: m,
            ref MemoryMarshal.GetReference(b), bTransposed: false, ref MemoryMarshal.GetReference(c), m, k, n, pack: default);
        MultiplyOnThisThread(in operands, accumulate);
    }

    /// <summary>C[m×n] (+)= A[m×k]·B[n×k]ᵀ on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMulTransBOnThisThread(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        Span<float> pack = stackalloc float[TransposedPanelLength(k, n)];
        var operands = new Operands(
            ref MemoryMarshal.GetReference(a), aRowStride: k, aDepthStride: 1,
            ref MemoryMarshal.GetReference(b), bTransposed: true, ref MemoryMarshal.GetReference(c), m, k, n, pack);
        MultiplyOnThisThread(in operands, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyOnThisThread(scoped in Operands o, bool accumulate)
    {
        if (StartEmpty(MemoryMarshal.CreateSpan(ref o.C, o.M * o.N), o.M, o.K, o.N, accumulate))
        {
            return;
        }

        if ((long)o.M * o.K * o.N <= TinyProduct)
        {
            MultiplyTiny(in o, accumulate);
            return;
        }

        MultiplyBlocked(in o, accumulate, PassDepth(o.K));
    }
}
