using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// The most steps of k one pass accumulates in registers before adding the partial block into C. A panel of B,
    /// at most DepthBlock rows × one strip of columns (256 × 32 floats = 32 KiB), is then reused by every row block of
    /// A while it is still in L1/L2. Layers up to 256 inputs take a single pass.
    /// </summary>
    internal const int DepthBlock = 256;

    /// <summary>
    /// The depth of each pass over k: k cut into as few passes as <see cref="DepthBlock"/> allows, all of about the
    /// same depth (784 → 4 × 196), so a product split over k between threads splits evenly.
    /// </summary>
    internal static int PassDepth(int k)
    {
        int passes = (k + DepthBlock - 1) / DepthBlock;
        return (k + passes - 1) / passes;
    }

    /// <summary>How many passes of <see cref="PassDepth"/> cover k.</summary>
    internal static int PassCount(int k)
    {
        int passDepth = PassDepth(k);
        return (k + passDepth - 1) / passDepth;
    }

    /// <summary>Where the three matrices are and how to step through them; built once per call by the public entries.</summary>
    private readonly ref struct Operands
    {
        /// <summary>op(A)(0, 0); op(A)(i, p) is at <c>A + i·ARowStride + p·ADepthStride</c>.</summary>
        public readonly ref float A;
        public readonly nint ARowStride;
        public readonly nint ADepthStride;

        /// <summary>B's first element: stored k×n (op(B)(p, j) at <c>B + p·n + j</c>) unless <see cref="BTransposed"/>.</summary>
        public readonly ref float B;

        /// <summary>B is stored n×k (op(B)(p, j) at <c>B + j·k + p</c>); panels are transposed into <see cref="Pack"/>.</summary>
        public readonly bool BTransposed;

        /// <summary>C(0, 0); C is m×n row-major.</summary>
        public readonly ref float C;
        public readonly int M;
        public readonly int K;
        public readonly int N;

        /// <summary>Scratch for transposed panels of B (<see cref="TransposedPanelLength"/> floats), empty otherwise.</summary>
        public readonly Span<float> Pack;

        public Operands(
            ref float a, nint aRowStride, nint aDepthStride, ref float b, bool bTransposed, ref float c, int m, int k, int n, Span<float> pack)
        {
            A = ref a;
            ARowStride = aRowStride;
            ADepthStride = aDepthStride;
            B = ref b;
            BTransposed = bTransposed;
            C = ref c;
            M = m;
            K = k;
            N = n;
            Pack = pack;
        }
    }

    /// <summary>Products of at most this many multiply-adds skip the blocked machinery (see <see cref="MultiplyTiny"/>).</summary>
    internal const int TinyProduct = 512;

    /// <summary>
    /// C (+)= op(A)·op(B) for non-empty shapes: tiny products as a plain loop, large ones split over threads by rows or
    /// over k (<c>Gemm.Parallel.cs</c>), the rest blocked on this thread. k is cut into passes of
    /// <see cref="PassDepth"/>; each pass covers the columns of C left to right in strips, as wide as the tier allows
    /// first and narrower for the tail: the widest tier's strips, then single vectors of that width, then the same with
    /// each narrower width down to scalar columns. So n needs no padding and every column is handled by vectors until
    /// fewer than 4 remain. On AVX-512 the last 1-15 columns take one masked register per row instead
    /// (<c>Gemm.Masked.cs</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(scoped in Operands o, bool accumulate)
    {
        if ((long)o.M * o.K * o.N <= TinyProduct)
        {
            MultiplyTiny(in o, accumulate);
            return;
        }

        if (TryMultiplyInParallel(in o, accumulate))
        {
            return;
        }

        MultiplyBlocked(in o, accumulate, PassDepth(o.K));
    }

    /// <summary>
    /// Rows of C a blocked product finishes, all passes over k, before it moves on, when A is long enough to need it
    /// (<see cref="GroupedPassOfA"/>): one group's pass of A (64 × 196 floats, 49 KiB) is read once per column strip
    /// while it is still in L1 or L2, and its 64 rows of C stay there across the passes. Without groups, a 1 024-row
    /// product re-read each pass of A (800 KiB, which beside C's 400 KiB does not fit a 1 MiB L2) for every strip, and
    /// C for every pass: 163-166 GFLOP/s on one core against 175-180 with groups, and 254-311 on two against 351-357.
    /// </summary>
    /// <remarks>
    /// A multiple of 16, and the last group takes the 1-3 rows a group of 64 would leave, so every row goes to the same
    /// kernel as without groups (16-, 8- and 4-row blocks, then single rows, never the lone-row kernels). Only the order
    /// in which blocks of C are visited changes: every element gets the same passes, each summed over the same steps,
    /// so the bits are the same.
    /// </remarks>
    internal const int RowGroup = 64;

    /// <summary>
    /// Bytes of A in one pass over all of a product's rows above which the product goes in row groups. Below it, A's
    /// pass stays in L2 for every strip anyway, and groups would only re-read B once per group (a 256-row 4096×4096
    /// product measured no faster with them).
    /// </summary>
    internal const long GroupedPassOfA = 256 * 1024;

    /// <summary>
    /// The single-threaded product in passes of <paramref name="passDepth"/>, in groups of <see cref="RowGroup"/> rows
    /// when A is long: every part of a parallel one runs this. A transposed B is not grouped, since each group would
    /// transpose its panels again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyBlocked(scoped in Operands o, bool accumulate, int passDepth)
    {
        if (o.BTransposed || (long)o.M * Math.Min(o.K, passDepth) * sizeof(float) <= GroupedPassOfA)
        {
            MultiplyGroup(in o, accumulate, passDepth);
            return;
        }

        for (int i0 = 0; i0 < o.M;)
        {
            // The last group also takes what a full group would leave under a 4-row block.
            int rows = o.M - i0 < RowGroup + BlockRows ? o.M - i0 : RowGroup;
            var group = new Operands(
                ref Unsafe.Add(ref o.A, i0 * o.ARowStride), o.ARowStride, o.ADepthStride, ref o.B, o.BTransposed,
                ref Unsafe.Add(ref o.C, (nint)i0 * o.N), rows, o.K, o.N, o.Pack);
            MultiplyGroup(in group, accumulate, passDepth);
            i0 += rows;
        }
    }

    /// <summary>Rows of C (a group, or a whole product) in passes of <paramref name="passDepth"/>, strip by strip.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyGroup(scoped in Operands o, bool accumulate, int passDepth)
    {
        SimdTier tier = Simd.EffectiveTier;

        // Lone rows: the widest tier's wide strips take every pass in one kernel call per row (see LoneRowStrips).
        int first = 0;
        if (o.M < BlockRows && !o.BTransposed)
        {
            first = tier switch
            {
                >= SimdTier.Vector512 => LoneRowStrips<Vector512Ops, Vector512<float>>(in o, 0, o.K, passDepth, 0, accumulate),
                SimdTier.Vector256 => LoneRowStrips<Vector256Ops, Vector256<float>>(in o, 0, o.K, passDepth, 0, accumulate),
                SimdTier.Vector128 => LoneRowStrips<Vector128Ops, Vector128<float>>(in o, 0, o.K, passDepth, 0, accumulate),
                _ => 0,
            };
        }

        for (int p0 = 0; p0 < o.K && first < o.N; p0 += passDepth)
        {
            int depth = Math.Min(passDepth, o.K - p0);

            // The first pass overwrites C unless the caller accumulates; later passes add their partial sums.
            bool addToC = accumulate || p0 > 0;
            int j = first;
            if (tier >= SimdTier.Vector512)
            {
                j = ColumnStrips<Vector512Ops, Vector512<float>>(in o, p0, depth, j, addToC);
                if (j < o.N && Avx512F.IsSupported)
                {
                    // The last 1-15 columns in one masked register per row (Gemm.Masked.cs), not narrower tiers.
                    MaskedColumns(in o, p0, depth, j, addToC);
                    continue;
                }
            }

            if (tier >= SimdTier.Vector256)
            {
                j = ColumnStrips<Vector256Ops, Vector256<float>>(in o, p0, depth, j, addToC);
            }

            if (tier >= SimdTier.Vector128)
            {
                j = ColumnStrips<Vector128Ops, Vector128<float>>(in o, p0, depth, j, addToC);
            }

            _ = ColumnStrips<ScalarOps, float>(in o, p0, depth, j, addToC);
        }
    }

    /// <summary>
    /// A product so small (an XOR network's 4×2·2×1) that dispatching over tiers and strips costs more than the
    /// arithmetic: a plain loop, each output accumulated over k in order with the same fused multiply-add as the
    /// scalar micro-kernel, so results are bit-identical to the blocked path on every tier.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full speed from the first call: no tier-0 first epoch
    private static void MultiplyTiny(scoped in Operands o, bool accumulate)
    {
        // In the blocked path's passes over k (a 1×300×1 product is tiny, the same row in a batch is not), each summed
        // from zero and then added to C, so both give the same bits.
        int passDepth = o.K <= DepthBlock ? o.K : PassDepth(o.K); // one pass without PassDepth's divisions: XOR calls this often
        for (int i = 0; i < o.M; i++)
        {
            ref float aRow = ref Unsafe.Add(ref o.A, i * o.ARowStride);
            for (int j = 0; j < o.N; j++)
            {
                ref float c = ref Unsafe.Add(ref o.C, ((nint)i * o.N) + j);
                for (int p0 = 0; p0 < o.K; p0 += passDepth)
                {
                    float sum = 0f;
                    for (int p = p0, end = Math.Min(o.K, p0 + passDepth); p < end; p++)
                    {
                        float bv = o.BTransposed ? Unsafe.Add(ref o.B, ((nint)j * o.K) + p) : Unsafe.Add(ref o.B, ((nint)p * o.N) + j);
                        sum = float.MultiplyAddEstimate(Unsafe.Add(ref aRow, p * o.ADepthStride), bv, sum);
                    }

                    c = accumulate || p0 > 0 ? c + sum : sum;
                }
            }
        }
    }

    /// <summary>
    /// Lone rows (fewer than <see cref="BlockRows"/>, so a prediction) with B not transposed: covers columns j.. of C
    /// with strips of <see cref="WideRowVectors"/> registers, each row and strip in one <see cref="Kernel1x6"/> call over
    /// all <paramref name="depth"/> steps from <paramref name="p0"/> in passes of <paramref name="passDepth"/>; returns
    /// the first column left over. <see cref="MultiplyGroup"/> runs the widest tier's strips this way before its passes:
    /// one call per pass cost the 1×784×100 product of a prediction 0.1-0.15 µs in calls and dispatch (1.80-1.85 µs
    /// against 1.65-1.73 µs now, alternating processes).
    /// </summary>
    /// <remarks>
    /// The last strip also carries the 4 tail columns (n = 100 at 16 or 8 wide) that no register of this width covers,
    /// so they run beside the six chains instead of as one latency-bound chain of their own.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LoneRowStrips<TOps, TVec>(scoped in Operands o, int p0, int depth, int passDepth, int j, bool addToC)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        ref float a = ref Unsafe.Add(ref o.A, p0 * o.ADepthStride);
        nint aRow = o.ARowStride, aDepth = o.ADepthStride, cRow = o.N;
        int width = TOps.Count;
        for (int stripWidth = WideRowVectors * width; j + stripWidth <= o.N; j += stripWidth)
        {
            ref float b = ref PanelOfB(in o, p0, depth, j, stripWidth, out nint bDepth);
            int left = o.N - j - stripWidth;
            bool carryTail = left >= TailColumns && left < width;
            for (int i = 0; i < o.M; i++)
            {
                ref float aRowStart = ref Unsafe.Add(ref a, i * aRow);
                ref float cRowStart = ref Unsafe.Add(ref o.C, (i * cRow) + j);
                if (carryTail)
                {
                    Kernel1x6<TOps, TVec, Tail4>(ref aRowStart, aDepth, ref b, bDepth, ref cRowStart, depth, passDepth, addToC, (nuint)stripWidth);
                }
                else
                {
                    Kernel1x6<TOps, TVec, NoTail>(ref aRowStart, aDepth, ref b, bDepth, ref cRowStart, depth, passDepth, addToC, 0);
                }
            }

            if (carryTail)
            {
                j += TailColumns;
            }
        }

        return j;
    }

    /// <summary>
    /// Covers columns j.. of C with strips of <see cref="BlockVectors"/> registers, then of one register, as long as
    /// whole registers fit; returns the first column left over (fewer than one register's width).
    /// Within a strip, rows go <see cref="BlockRows"/> at a time, then one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full speed from the first call: no tier-0 first epoch
    private static int ColumnStrips<TOps, TVec>(scoped in Operands o, int p0, int depth, int j, bool addToC)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        ref float a = ref Unsafe.Add(ref o.A, p0 * o.ADepthStride);
        nint aRow = o.ARowStride, aDepth = o.ADepthStride, cRow = o.N;
        int width = TOps.Count;

        // Fewer rows than a row block (prediction): wide strips so the lone rows keep more FMA chains in flight. The
        // widest tier has already run its own over every pass (LoneRowStrips); here only narrower tiers find any.
        if (o.M < BlockRows && !o.BTransposed)
        {
            j = LoneRowStrips<TOps, TVec>(in o, p0, depth, depth, j, addToC);
        }

        for (int stripWidth = BlockVectors * width; j + stripWidth <= o.N; j += stripWidth)
        {
            ref float b = ref PanelOfB(in o, p0, depth, j, stripWidth, out nint bDepth);
            ref float c = ref Unsafe.Add(ref o.C, j);
            int i = 0;
            if (width == Vector512<float>.Count)
            {
                for (; i + WideBlockRows <= o.M; i += WideBlockRows)
                {
                    Kernel8x2<TOps, TVec>(
                        ref Unsafe.Add(ref a, i * aRow), aRow, aDepth, ref b, bDepth, ref Unsafe.Add(ref c, i * cRow), cRow, depth, addToC);
                }
            }

            for (; i + BlockRows <= o.M; i += BlockRows)
            {
                Kernel4x2<TOps, TVec>(
                    ref Unsafe.Add(ref a, i * aRow), aRow, aDepth, ref b, bDepth, ref Unsafe.Add(ref c, i * cRow), cRow, depth, addToC);
            }

            for (; i < o.M; i++)
            {
                Kernel1x2<TOps, TVec>(
                    ref Unsafe.Add(ref a, i * aRow), aDepth, ref b, bDepth, ref Unsafe.Add(ref c, i * cRow), depth, addToC);
            }
        }

        for (; j + width <= o.N; j += width)
        {
            ref float b = ref PanelOfB(in o, p0, depth, j, width, out nint bDepth);
            ref float c = ref Unsafe.Add(ref o.C, j);
            int i = 0;
            for (; i + BlockRows <= o.M; i += BlockRows)
            {
                Kernel4x1<TOps, TVec>(
                    ref Unsafe.Add(ref a, i * aRow), aRow, aDepth, ref b, bDepth, ref Unsafe.Add(ref c, i * cRow), cRow, depth, addToC);
            }

            for (; i < o.M; i++)
            {
                Kernel1x1<TOps, TVec>(
                    ref Unsafe.Add(ref a, i * aRow), aDepth, ref b, bDepth, ref Unsafe.Add(ref c, i * cRow), depth, addToC);
            }
        }

        return j;
    }
}
