using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

// The forward pass of a short window (a first layer: kh·kw·cin ≤ 32) computed straight from the input.
public static partial class Conv2D
{
    /// <summary>The deepest window the direct forward pass takes; deeper ones unroll and multiply on Gemm.</summary>
    internal const int DirectMaxDepth = 32;

    /// <summary>
    /// True when the forward pass runs directly from the input: a window of at most <see cref="DirectMaxDepth"/> floats
    /// (Gemm's 8×32 block would be only that deep, and unrolling such short rows costs more than the product) that
    /// never reaches past the input (no padding cell is read). The choice depends on the shape only, never on the tier
    /// or the thread count.
    /// </summary>
    internal static bool IsDirect(in Conv2DGeometry g) =>
        g.WindowLength <= DirectMaxDepth && g.PadTop == 0 && g.PadLeft == 0
        && ((g.OutputHeight - 1) * g.StrideHeight) + g.WindowHeight <= g.InputHeight
        && ((g.OutputWidth - 1) * g.StrideWidth) + g.WindowWidth <= g.InputWidth;

    /// <summary>
    /// Output rows [<paramref name="firstRow"/>, + <paramref name="count"/>) of z = windows · W, four pixels at a time,
    /// each tap broadcast from the input and multiplied into two registers of filters. Every output is
    /// Σ over taps in kernel order (ky, kx, c) of one fused multiply-add each, starting from 0: the same order and
    /// rounding on every tier, scalar included. With an epilogue the registers get the bias and the activation before
    /// they are stored (z + bias into z, the activation into its own buffer): the operations of
    /// <see cref="BiasActivation"/>'s pass on the stored z, without storing z twice and reading it back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void DirectRows(
        ref float x, ref float w, ref float z, in Conv2DGeometry g, int filters, int firstRow, int count, in DirectEpilogue epilogue)
    {
        Span<int> offsets = stackalloc int[DirectMaxDepth];
        int taps = TapOffsets(in g, offsets);
        ref int tap = ref MemoryMarshal.GetReference(offsets);
        SimdTier tier = Simd.EffectiveTier;
        var cursor = new PixelCursor(in g, firstRow);
        nuint n = (nuint)filters;
        var sink = new RowStore(ref z, n, in epilogue);
        int row = firstRow, end = firstRow + count;
        for (; row + 4 <= end; row += 4)
        {
            nint o0 = cursor.Next(), o1 = cursor.Next(), o2 = cursor.Next(), o3 = cursor.Next();
            var group = new PixelGroup(o0, o1, o2, o3, (nint)row * filters, taps);
            Group(ref x, ref w, ref tap, in group, n, tier, ref sink);
        }

        for (; row < end; row++)
        {
            nint origin = cursor.Next();
            for (int f = 0; f < filters; f++)
            {
                float sum = 0f;
                for (int t = 0; t < taps; t++)
                {
                    sum = float.MultiplyAddEstimate(Unsafe.Add(ref x, origin + Unsafe.Add(ref tap, t)), Unsafe.Add(ref w, (t * filters) + f), sum);
                }

                sink.Store<ScalarOps, float>(sum, ((nuint)row * n) + (nuint)f, (nuint)f);
            }
        }
    }

    /// <summary>Fills <paramref name="offsets"/> with the taps' offsets from a window's first cell, in kernel order (ky, kx, c); returns how many.</summary>
    private static int TapOffsets(in Conv2DGeometry g, Span<int> offsets)
    {
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

        return taps;
    }

    /// <summary>Four output pixels: their windows' first input cells, their first output float, and the taps.</summary>
    private readonly record struct PixelGroup(nint Origin0, nint Origin1, nint Origin2, nint Origin3, nint Output, int Taps);

    /// <summary>
    /// What becomes of four pixels' sums in one register of filters (columns from <c>column</c>): stored as rows of z
    /// (<see cref="RowStore"/>) or pooled into one output (<see cref="PooledStore"/>).
    /// </summary>
    private interface IPixelGroupSink
    {
        void Take<TOps, TVec>(in PixelGroup p, nuint column, TVec s0, TVec s1, TVec s2, TVec s3)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct;
    }

    /// <summary>All filters of four pixels, at the widest width the tier allows and then narrower ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group<TSink>(ref float x, ref float w, ref int tap, in PixelGroup group, nuint n, SimdTier tier, ref TSink sink)
        where TSink : IPixelGroupSink, allows ref struct
    {
        nuint j = 0;
        if (tier >= SimdTier.Vector512)
        {
            j = Group<Vector512Ops, Vector512<float>, TSink>(ref x, ref w, ref tap, in group, n, j, ref sink);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = Group<Vector256Ops, Vector256<float>, TSink>(ref x, ref w, ref tap, in group, n, j, ref sink);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = Group<Vector128Ops, Vector128<float>, TSink>(ref x, ref w, ref tap, in group, n, j, ref sink);
        }

        _ = Group<ScalarOps, float, TSink>(ref x, ref w, ref tap, in group, n, j, ref sink);
    }

    /// <summary>
    /// Columns from <paramref name="j"/> of four pixels' sums, two registers at a time, then one: each tap broadcast
    /// from the four windows and multiplied into 8 accumulators. Every output is one chain of fused multiply-adds in
    /// tap order from 0, the same on every tier, scalar included.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Group<TOps, TVec, TSink>(ref float x, ref float w, ref int tap, in PixelGroup p, nuint n, nuint j, ref TSink sink)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
        where TSink : IPixelGroupSink, allows ref struct
    {
        nuint width = (nuint)TOps.Count;
        ref float x0 = ref Unsafe.Add(ref x, p.Origin0), x1 = ref Unsafe.Add(ref x, p.Origin1);
        ref float x2 = ref Unsafe.Add(ref x, p.Origin2), x3 = ref Unsafe.Add(ref x, p.Origin3);
        for (; j + (2 * width) <= n; j += 2 * width)
        {
            TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
            TVec b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero;
            nuint at = j;
            for (int t = 0; t < p.Taps; t++, at += n)
            {
                int offset = Unsafe.Add(ref tap, t);
                TVec wa = TOps.Load(ref w, at), wb = TOps.Load(ref w, at + width);
                TVec v0 = TOps.Broadcast(Unsafe.Add(ref x0, offset)), v1 = TOps.Broadcast(Unsafe.Add(ref x1, offset));
                TVec v2 = TOps.Broadcast(Unsafe.Add(ref x2, offset)), v3 = TOps.Broadcast(Unsafe.Add(ref x3, offset));
                a0 = TOps.MultiplyAdd(v0, wa, a0);
                b0 = TOps.MultiplyAdd(v0, wb, b0);
                a1 = TOps.MultiplyAdd(v1, wa, a1);
                b1 = TOps.MultiplyAdd(v1, wb, b1);
                a2 = TOps.MultiplyAdd(v2, wa, a2);
                b2 = TOps.MultiplyAdd(v2, wb, b2);
                a3 = TOps.MultiplyAdd(v3, wa, a3);
                b3 = TOps.MultiplyAdd(v3, wb, b3);
            }

            sink.Take<TOps, TVec>(in p, j, a0, a1, a2, a3);
            sink.Take<TOps, TVec>(in p, j + width, b0, b1, b2, b3);
        }

        for (; j + width <= n; j += width)
        {
            TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
            nuint at = j;
            for (int t = 0; t < p.Taps; t++, at += n)
            {
                int offset = Unsafe.Add(ref tap, t);
                TVec wa = TOps.Load(ref w, at);
                a0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref x0, offset)), wa, a0);
                a1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref x1, offset)), wa, a1);
                a2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref x2, offset)), wa, a2);
                a3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref x3, offset)), wa, a3);
            }

            sink.Take<TOps, TVec>(in p, j, a0, a1, a2, a3);
        }

        return j;
    }

    /// <summary>Four consecutive rows of z stored, each with the layer's bias and activation when the epilogue is active.</summary>
    private readonly ref struct RowStore : IPixelGroupSink
    {
        private readonly ref float _z;
        private readonly nuint _n;
        private readonly DirectEpilogue _e;

        public RowStore(ref float z, nuint n, in DirectEpilogue e)
        {
            _z = ref z;
            _n = n;
            _e = e;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take<TOps, TVec>(in PixelGroup p, nuint column, TVec s0, TVec s1, TVec s2, TVec s3)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint at = (nuint)p.Output + column;
            Store<TOps, TVec>(s0, at, column);
            Store<TOps, TVec>(s1, at + _n, column);
            Store<TOps, TVec>(s2, at + (2 * _n), column);
            Store<TOps, TVec>(s3, at + (3 * _n), column);
        }

        /// <summary>Stores one register of z at <paramref name="at"/> (columns from <paramref name="column"/>), with the epilogue if any.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store<TOps, TVec>(TVec sum, nuint at, nuint column)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            if (!_e.Active)
            {
                TOps.Store(sum, ref _z, at);
                return;
            }

            // As BiasActivation's pass: z + bias rounded once, then max(z, 0) or (z > 0 ? z : alpha·z).
            TVec zr = TOps.Add(sum, TOps.Load(ref _e.Bias, column));
            TOps.Store(zr, ref _z, at);
            TVec a = _e.Leaky ? TOps.SelectWherePositive(zr, zr, TOps.Multiply(TOps.Broadcast(_e.Alpha), zr)) : TOps.Max(zr, TOps.Zero);
            TOps.Store(a, ref _e.Activation, at);
        }
    }

    /// <summary>The bias and activation a direct pass applies before storing (inactive: plain z).</summary>
    internal readonly ref struct DirectEpilogue(ref float bias, ref float activation, bool active, bool leaky, float alpha)
    {
        public readonly ref float Bias = ref bias;

        public readonly ref float Activation = ref activation;

        public bool Active { get; } = active;

        public bool Leaky { get; } = leaky;

        public float Alpha { get; } = alpha;
    }

    /// <summary>Walks output pixels in row order (b, oy, ox), giving each window's first input cell without a division.</summary>
    private struct PixelCursor
    {
        private readonly int _outputWidth;
        private readonly int _outputHeight;
        private readonly int _columnStep;
        private readonly int _rowStep;
        private readonly int _sampleLength;
        private int _ox;
        private int _oy;
        private nint _sample;

        public PixelCursor(in Conv2DGeometry g, int row)
        {
            (_outputWidth, _outputHeight, _sampleLength) = (g.OutputWidth, g.OutputHeight, g.InputLength);
            _columnStep = g.StrideWidth * g.Channels;
            _rowStep = g.StrideHeight * g.InputWidth * g.Channels;
            int pixels = g.OutputPixels;
            _sample = (nint)(row / pixels) * g.InputLength;
            _oy = row % pixels / g.OutputWidth;
            _ox = row % g.OutputWidth;
        }

        /// <summary>The current pixel's window origin; then moves to the next pixel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public nint Next()
        {
            nint origin = _sample + (_oy * _rowStep) + (_ox * _columnStep);
            if (++_ox == _outputWidth)
            {
                _ox = 0;
                if (++_oy == _outputHeight)
                {
                    _oy = 0;
                    _sample += _sampleLength;
                }
            }

            return origin;
        }
    }
}
