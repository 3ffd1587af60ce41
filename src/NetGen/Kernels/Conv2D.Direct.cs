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
        // The taps' offsets from a window's first cell, in kernel order.
        Span<int> offsets = stackalloc int[DirectMaxDepth];
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

        ref int tap = ref MemoryMarshal.GetReference(offsets);
        SimdTier tier = Simd.EffectiveTier;
        var cursor = new PixelCursor(in g, firstRow);
        nuint n = (nuint)filters;
        int row = firstRow, end = firstRow + count;
        for (; row + 4 <= end; row += 4)
        {
            nint o0 = cursor.Next(), o1 = cursor.Next(), o2 = cursor.Next(), o3 = cursor.Next();
            var group = new PixelGroup(o0, o1, o2, o3, (nint)row * filters, taps);
            nuint j = 0;
            if (tier >= SimdTier.Vector512)
            {
                j = Group<Vector512Ops, Vector512<float>>(ref x, ref w, ref z, ref tap, in group, n, j, in epilogue);
            }

            if (tier >= SimdTier.Vector256)
            {
                j = Group<Vector256Ops, Vector256<float>>(ref x, ref w, ref z, ref tap, in group, n, j, in epilogue);
            }

            if (tier >= SimdTier.Vector128)
            {
                j = Group<Vector128Ops, Vector128<float>>(ref x, ref w, ref z, ref tap, in group, n, j, in epilogue);
            }

            _ = Group<ScalarOps, float>(ref x, ref w, ref z, ref tap, in group, n, j, in epilogue);
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

                Store<ScalarOps, float>(sum, ref z, ((nuint)row * (nuint)filters) + (nuint)f, (nuint)f, in epilogue);
            }
        }
    }

    /// <summary>Four output pixels: their windows' first input cells, their first output float, and the taps.</summary>
    private readonly record struct PixelGroup(nint Origin0, nint Origin1, nint Origin2, nint Origin3, nint Output, int Taps);

    /// <summary>Columns from <paramref name="j"/> of four pixels' outputs, two registers at a time, then one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Group<TOps, TVec>(ref float x, ref float w, ref float z, ref int tap, in PixelGroup p, nuint n, nuint j, in DirectEpilogue e)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count;
        ref float x0 = ref Unsafe.Add(ref x, p.Origin0), x1 = ref Unsafe.Add(ref x, p.Origin1);
        ref float x2 = ref Unsafe.Add(ref x, p.Origin2), x3 = ref Unsafe.Add(ref x, p.Origin3);
        nuint out0 = (nuint)p.Output;
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

            Store<TOps, TVec>(a0, ref z, out0 + j, j, in e);
            Store<TOps, TVec>(b0, ref z, out0 + j + width, j + width, in e);
            Store<TOps, TVec>(a1, ref z, out0 + n + j, j, in e);
            Store<TOps, TVec>(b1, ref z, out0 + n + j + width, j + width, in e);
            Store<TOps, TVec>(a2, ref z, out0 + (2 * n) + j, j, in e);
            Store<TOps, TVec>(b2, ref z, out0 + (2 * n) + j + width, j + width, in e);
            Store<TOps, TVec>(a3, ref z, out0 + (3 * n) + j, j, in e);
            Store<TOps, TVec>(b3, ref z, out0 + (3 * n) + j + width, j + width, in e);
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

            Store<TOps, TVec>(a0, ref z, out0 + j, j, in e);
            Store<TOps, TVec>(a1, ref z, out0 + n + j, j, in e);
            Store<TOps, TVec>(a2, ref z, out0 + (2 * n) + j, j, in e);
            Store<TOps, TVec>(a3, ref z, out0 + (3 * n) + j, j, in e);
        }

        return j;
    }

    /// <summary>Stores one register of z at <paramref name="at"/> (columns from <paramref name="column"/>), with the epilogue if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec>(TVec sum, ref float z, nuint at, nuint column, in DirectEpilogue e)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        if (!e.Active)
        {
            TOps.Store(sum, ref z, at);
            return;
        }

        // As BiasActivation's pass: z + bias rounded once, then max(z, 0) or (z > 0 ? z : alpha·z).
        TVec zr = TOps.Add(sum, TOps.Load(ref e.Bias, column));
        TOps.Store(zr, ref z, at);
        TVec a = e.Leaky ? TOps.SelectWherePositive(zr, zr, TOps.Multiply(TOps.Broadcast(e.Alpha), zr)) : TOps.Max(zr, TOps.Zero);
        TOps.Store(a, ref e.Activation, at);
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
