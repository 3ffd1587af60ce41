using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

// Narrow column tails on AVX-512. A classifier's output layer has n = 10: no 16-wide register fits, and without masks
// those columns went to an 8-wide register and two scalar columns, each a short FMA chain waiting on its own latency
// (26-33 GFLOP/s: the whole softmax model and the MLP's output layer). With AVX-512's masked loads and stores one
// 16-lane register covers all of them, and 8 rows at a time give 8 independent chains, enough to keep both FMA pipes
// busy. The same holds for the 4 columns left after n = 100's three 32-column strips.
//
// Masked loads never touch the lanes outside the mask, so B and C need no padding and nothing past a buffer's end is
// read. Each element of C is still summed over k in order with one FMA per step, so the results are the bits the
// other tiers give.
public static partial class Gemm
{
    /// <summary>Rows of C per masked block: one accumulator each, so 8 independent FMA chains.</summary>
    internal const int MaskedBlockRows = 8;

    /// <summary>
    /// Columns j..n of C (fewer than 16) for depth steps from p0, one masked 16-lane register per row: 16-row blocks,
    /// then 8-row ones, then single rows. Only on hardware with AVX-512F (the Vector512 tier).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full speed from the first call, like ColumnStrips
    private static unsafe void MaskedColumns(scoped in Operands o, int p0, int depth, int j, bool addToC)
    {
        int width = o.N - j;
        ref float b = ref PanelOfB(in o, p0, depth, j, width, out nint bDepth);
        ref float a = ref Unsafe.Add(ref o.A, p0 * o.ADepthStride);
        nint aRow = o.ARowStride, aDepth = o.ADepthStride, cRow = o.N;

        Vector512<float> mask = Vector512Ops.FirstLanes(width);

        // Pinned for the masked loads and stores, which take pointers; the spans behind them stay put for the call.
        fixed (float* pb = &b, pc0 = &Unsafe.Add(ref o.C, j))
        {
            int i = 0;
            for (; i + (2 * MaskedBlockRows) <= o.M; i += 2 * MaskedBlockRows)
            {
                MaskedKernel16(ref Unsafe.Add(ref a, i * aRow), aRow, aDepth, pb, bDepth, pc0 + (i * cRow), cRow, depth, mask, addToC);
            }

            for (; i + MaskedBlockRows <= o.M; i += MaskedBlockRows)
            {
                MaskedKernel8(ref Unsafe.Add(ref a, i * aRow), aRow, aDepth, pb, bDepth, pc0 + (i * cRow), cRow, depth, mask, addToC);
            }

            // Only a product of lone rows (a prediction) skips zero steps, as in ColumnStrips: the rows left over after the
            // blocks of a batch must give the bits they would get in a block, even where B holds an infinity or NaN.
            bool skipZeros = o.M < BlockRows;
            for (; i < o.M; i++)
            {
                MaskedKernel1(ref Unsafe.Add(ref a, i * aRow), aDepth, pb, bDepth, pc0 + (i * cRow), depth, mask, addToC, skipZeros);
            }
        }
    }

    /// <summary>
    /// <see cref="MaskedKernel8"/> for 16 rows: 16 accumulators give the two FMA pipes slack beyond their latency
    /// (8 chains cover it exactly, so any late broadcast stalls them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaskedKernel16(
        ref float a, nint aRow, nint aDepth, float* b, nint bDepth, float* c, nint cRow, int depth, Vector512<float> mask, bool addToC)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        ref float a8 = ref Unsafe.Add(ref a, aRow * 8);
        nint aRow2 = aRow * 2, aRow3 = aRow * 3, aRow4 = aRow * 4, aRow5 = aRow * 5, aRow6 = aRow * 6, aRow7 = aRow * 7;
        for (int p = 0; p < depth; p++)
        {
            Vector512<float> bv = Avx512F.MaskLoad(b, mask, Vector512<float>.Zero);
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(a), bv, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow)), bv, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow2)), bv, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow3)), bv, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow4)), bv, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow5)), bv, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow6)), bv, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow7)), bv, c7);
            c8 = Vector512.MultiplyAddEstimate(Vector512.Create(a8), bv, c8);
            c9 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow)), bv, c9);
            c10 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow2)), bv, c10);
            c11 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow3)), bv, c11);
            c12 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow4)), bv, c12);
            c13 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow5)), bv, c13);
            c14 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow6)), bv, c14);
            c15 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a8, aRow7)), bv, c15);
            a = ref Unsafe.Add(ref a, aDepth);
            a8 = ref Unsafe.Add(ref a8, aDepth);
            b += bDepth;
        }

        MaskedFlush(c0, c, mask, addToC);
        MaskedFlush(c1, c + cRow, mask, addToC);
        MaskedFlush(c2, c + (2 * cRow), mask, addToC);
        MaskedFlush(c3, c + (3 * cRow), mask, addToC);
        MaskedFlush(c4, c + (4 * cRow), mask, addToC);
        MaskedFlush(c5, c + (5 * cRow), mask, addToC);
        MaskedFlush(c6, c + (6 * cRow), mask, addToC);
        MaskedFlush(c7, c + (7 * cRow), mask, addToC);
        c += 8 * cRow;
        MaskedFlush(c8, c, mask, addToC);
        MaskedFlush(c9, c + cRow, mask, addToC);
        MaskedFlush(c10, c + (2 * cRow), mask, addToC);
        MaskedFlush(c11, c + (3 * cRow), mask, addToC);
        MaskedFlush(c12, c + (4 * cRow), mask, addToC);
        MaskedFlush(c13, c + (5 * cRow), mask, addToC);
        MaskedFlush(c14, c + (6 * cRow), mask, addToC);
        MaskedFlush(c15, c + (7 * cRow), mask, addToC);
    }

    /// <summary>C[0..8, lanes of <paramref name="mask"/>] (+)= Σ_p op(A)[0..8, p] · B[p, lanes].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaskedKernel8(
        ref float a, nint aRow, nint aDepth, float* b, nint bDepth, float* c, nint cRow, int depth, Vector512<float> mask, bool addToC)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        nint aRow2 = aRow * 2, aRow3 = aRow * 3, aRow4 = aRow * 4, aRow5 = aRow * 5, aRow6 = aRow * 6, aRow7 = aRow * 7;
        for (int p = 0; p < depth; p++)
        {
            Vector512<float> bv = Avx512F.MaskLoad(b, mask, Vector512<float>.Zero);
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(a), bv, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow)), bv, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow2)), bv, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow3)), bv, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow4)), bv, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow5)), bv, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow6)), bv, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, aRow7)), bv, c7);
            a = ref Unsafe.Add(ref a, aDepth);
            b += bDepth;
        }

        MaskedFlush(c0, c, mask, addToC);
        MaskedFlush(c1, c + cRow, mask, addToC);
        MaskedFlush(c2, c + (2 * cRow), mask, addToC);
        MaskedFlush(c3, c + (3 * cRow), mask, addToC);
        MaskedFlush(c4, c + (4 * cRow), mask, addToC);
        MaskedFlush(c5, c + (5 * cRow), mask, addToC);
        MaskedFlush(c6, c + (6 * cRow), mask, addToC);
        MaskedFlush(c7, c + (7 * cRow), mask, addToC);
    }

    /// <summary>One row of the masked columns: the rows after the last 8-row block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaskedKernel1(
        ref float a, nint aDepth, float* b, nint bDepth, float* c, int depth, Vector512<float> mask, bool addToC, bool skipZeros)
    {
        Vector512<float> c0 = default;
        int p = 0;
        if (skipZeros && aDepth == 1)
        {
            // A lone row (a prediction's output layer): one chain, so every skipped zero step (about half of a ReLU
            // layer's outputs; exact, see StepsToRun) saves a full FMA latency. Unlike Kernel1x6 it tests each group
            // inside the loop: a single latency-bound chain hides that, and the separate mask pass measured slower here
            // (1×784×10, half zeros: 0.52 µs against 0.42).
            for (; p + 16 <= depth; p += 16)
            {
                uint nonzero = NonzeroSteps(ref Unsafe.Add(ref a, p));
                while (nonzero != 0)
                {
                    int q = p + BitOperations.TrailingZeroCount(nonzero);
                    nonzero &= nonzero - 1;
                    c0 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a, q)), Avx512F.MaskLoad(b + (q * bDepth), mask, Vector512<float>.Zero), c0);
                }
            }

            a = ref Unsafe.Add(ref a, p);
            b += p * bDepth;
        }

        for (; p < depth; p++)
        {
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(a), Avx512F.MaskLoad(b, mask, Vector512<float>.Zero), c0);
            a = ref Unsafe.Add(ref a, aDepth);
            b += bDepth;
        }

        MaskedFlush(c0, c, mask, addToC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MaskedFlush(Vector512<float> accumulator, float* c, Vector512<float> mask, bool addToC)
    {
        if (addToC)
        {
            accumulator += Avx512F.MaskLoad(c, mask, Vector512<float>.Zero);
        }

        Avx512F.MaskStore(c, mask, accumulator);
    }
}
