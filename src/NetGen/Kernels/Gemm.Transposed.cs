using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

// How the transposed products reuse the one micro-kernel.
//
// TransA (dW = Xᵀ·dY): A is stored k×m, so op(A)(i, p) = a[p·m + i]. The micro-kernel only ever broadcasts single
// elements of A, so it takes A's row and depth strides as parameters and needs no copy: with strides (1, m) each step
// reads BlockRows neighbouring floats of one row of A, which is as cache-friendly as the plain product. Every step is
// a rank-1 update of the register-held block of C, the textbook formulation of Aᵀ·B.
//
// TransB (dX = dY·Wᵀ): B is stored n×k, so a row of op(B) (fixed p, consecutive j) is strided in memory and cannot be
// loaded as a vector. Rather than dot products (which waste lanes and need horizontal sums when k is small, e.g. the
// 10 outputs of a classifier), each panel of op(B), depth × strip width, is transposed into a small stack buffer just
// before the strip's row blocks use it. That costs O(k·n) copies against O(m·k·n) multiply-adds, and gives the same
// kernel, tails and bit-exact results as MatMul on an explicitly transposed B.
public static partial class Gemm
{
    /// <summary>The widest strip any tier uses: <see cref="BlockVectors"/> AVX-512 registers.</summary>
    private static readonly int s_widestStrip = BlockVectors * Vector512<float>.Count;

    /// <summary>
    /// Floats of scratch the TransB product needs: one panel of at most <see cref="DepthBlock"/> × the widest strip,
    /// 32 KiB at most, so it lives on the stack.
    /// </summary>
    private static int TransposedPanelLength(int k, int n) => Math.Min(k, DepthBlock) * Math.Min(n, s_widestStrip);

    /// <summary>
    /// The panel of op(B) for rows p0..p0+depth and columns j..j+width, with the stride between its rows: B itself
    /// when it is stored k×n, otherwise a transposed copy in <see cref="Operands.Pack"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ref float PanelOfB(scoped in Operands o, int p0, int depth, int j, int width, out nint depthStride)
    {
        if (!o.BTransposed)
        {
            depthStride = o.N;
            return ref Unsafe.Add(ref o.B, ((nint)p0 * o.N) + j);
        }

        Debug.Assert(depth * width <= o.Pack.Length, "The pack buffer holds every panel a strip can ask for.");
        ref float pack = ref MemoryMarshal.GetReference(o.Pack);
        for (int jj = 0; jj < width; jj++)
        {
            // Row j + jj of the stored B holds column j + jj of op(B), contiguous over p.
            ref float source = ref Unsafe.Add(ref o.B, ((nint)(j + jj) * o.K) + p0);
            for (int p = 0; p < depth; p++)
            {
                Unsafe.Add(ref pack, (p * width) + jj) = Unsafe.Add(ref source, p);
            }
        }

        depthStride = width;
        return ref pack;
    }
}
