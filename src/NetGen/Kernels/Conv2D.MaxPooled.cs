using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Threading;

namespace NetGen.Kernels;

// A short-window convolution with bias and ReLU, then 2×2 max pooling, as one pass each way: Keras's convnet's
// Conv2D(32, 3, ReLU) → MaxPooling2D(2). Apart, the two layers write, read back and scatter four tensors of
// batch·26·26·32 floats (2.8 MB each at batch 32), which cost more than the convolution itself.
public static partial class Conv2D
{
    /// <summary>
    /// True when <see cref="ForwardBiasReluMaxPool"/> and <see cref="BackwardBiasReluMaxPool"/> take this pair: a
    /// convolution on the direct path (<see cref="IsDirect"/>) followed by a 2×2 max pooling with strides 2 and no
    /// padding over its whole output (an odd last row or column is left out, as the pooling layer leaves it out).
    /// </summary>
    public static bool FusesMaxPooling(in Conv2DGeometry conv, in Conv2DGeometry pool, int filters) =>
        IsDirect(in conv) && pool.WindowHeight == 2 && pool.WindowWidth == 2 && pool.StrideHeight == 2 && pool.StrideWidth == 2
        && pool.PadTop == 0 && pool.PadLeft == 0 && pool.InputHeight == conv.OutputHeight && pool.InputWidth == conv.OutputWidth
        && pool.Channels == filters && pool.OutputHeight == conv.OutputHeight / 2 && pool.OutputWidth == conv.OutputWidth / 2;

    /// <summary>Floats of scratch <see cref="BackwardBiasReluMaxPool"/> needs: the partial kernel and bias gradients of lanes 1 to 7.</summary>
    public static int MaxPooledScratchLength(in Conv2DGeometry conv, int filters) =>
        checked((WeightGradientLanes - 1) * (conv.WindowLength + 1) * filters);

    /// <summary>
    /// y[b,py,px,f] = max over the 2×2 window of max(z + bias[f], 0), z the convolution at (2py + dy, 2px + dx): the
    /// same bits as <see cref="ForwardBiasRelu"/> then <see cref="MaxPooling2D.Forward"/>, without the convolution's
    /// output. <paramref name="winners"/>, unless empty, gets each output's winning cell of its window, 0 to 3 in row
    /// order (ties to the first, as the pooling layer's), as a float: the backward pass's only record of the convolution.
    /// </summary>
    /// <exception cref="ArgumentException">The pair is not one <see cref="FusesMaxPooling"/> takes, or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ForwardBiasReluMaxPool(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> pooled, Span<float> winners,
        in Conv2DGeometry conv, in Conv2DGeometry pool, int filters, int batch)
    {
        int outputs = CheckPooled(input, pooled, in conv, in pool, filters, batch, nameof(pooled));
        CheckLength(kernel.Length, (long)conv.WindowLength * filters, nameof(kernel));
        CheckLength(bias.Length, filters, nameof(bias));
        if (!winners.IsEmpty)
        {
            CheckLength(winners.Length, outputs, nameof(winners));
        }

        int pixels = batch * pool.OutputPixels;
        int parts = PooledParts(pixels, in conv, filters, pixels / 8);
        fixed (float* x = input, w = kernel, b = bias, y = pooled, win = winners)
        {
            PooledConvolution job = t_pooledJob ??= new PooledConvolution();
            job.Set(x, w, b, y, win, null, null, null, null, conv, pool, filters, batch, lanes: 0);
            try
            {
                WorkerPool.Run(job, parts);
            }
            finally
            {
                job.Clear();
            }
        }
    }

    /// <summary>
    /// From dy (the gradient of the pooled output), the pooled output and the winners of
    /// <see cref="ForwardBiasReluMaxPool"/>: overwrites <paramref name="kernelGradient"/> with dW = Σ x·dz and
    /// <paramref name="biasGradient"/> with db = Σ dz, where dz is dy at each window's winner when the pooled value is
    /// positive (ReLU's derivative) and 0 elsewhere. No input gradient: the pair is a first layer. The sums run over
    /// <see cref="WeightGradientLanes"/> fixed shares of the samples, added in lane order, so any thread count and any
    /// tier give the same bits.
    /// </summary>
    /// <exception cref="ArgumentException">The pair is not one <see cref="FusesMaxPooling"/> takes, or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void BackwardBiasReluMaxPool(
        ReadOnlySpan<float> input, ReadOnlySpan<float> pooled, ReadOnlySpan<float> winners, ReadOnlySpan<float> pooledGradient,
        Span<float> kernelGradient, Span<float> biasGradient, Span<float> scratch, in Conv2DGeometry conv, in Conv2DGeometry pool,
        int filters, int batch)
    {
        int outputs = CheckPooled(input, pooled, in conv, in pool, filters, batch, nameof(pooled));
        CheckLength(winners.Length, outputs, nameof(winners));
        CheckLength(pooledGradient.Length, outputs, nameof(pooledGradient));
        int size = conv.WindowLength * filters;
        CheckLength(kernelGradient.Length, size, nameof(kernelGradient));
        CheckLength(biasGradient.Length, filters, nameof(biasGradient));
        CheckLength(scratch.Length, MaxPooledScratchLength(in conv, filters), nameof(scratch));
        if (batch == 0)
        {
            kernelGradient[..size].Clear();
            biasGradient[..filters].Clear();
            return;
        }

        // The lanes are the parts, claimed by whichever thread is free.
        int lanes = Math.Min(WeightGradientLanes, batch);
        int parts = PooledParts(batch * pool.OutputPixels, in conv, filters, lanes) > 1 ? lanes : 1;
        fixed (float* x = input, y = pooled, win = winners, dy = pooledGradient, dw = kernelGradient, db = biasGradient, s = scratch)
        {
            PooledConvolution job = t_pooledJob ??= new PooledConvolution();
            job.Set(x, null, null, y, win, dy, dw, db, s, conv, pool, filters, batch, lanes);
            try
            {
                WorkerPool.Run(job, parts);
            }
            finally
            {
                job.Clear();
            }
        }

        // Lane 0 wrote dW and db themselves; the others' partials follow in lane order.
        Span<float> dW = kernelGradient[..size], dB = biasGradient[..filters];
        for (int lane = 1; lane < lanes; lane++)
        {
            TensorPrimitives.Add(dW, scratch.Slice((lane - 1) * size, size), dW);
            TensorPrimitives.Add(dB, scratch.Slice(((WeightGradientLanes - 1) * size) + ((lane - 1) * filters), filters), dB);
        }
    }

    /// <summary>Checks the pair and the buffers both passes share; returns the pooled output's length.</summary>
    private static int CheckPooled(
        ReadOnlySpan<float> input, ReadOnlySpan<float> pooled, in Conv2DGeometry conv, in Conv2DGeometry pool, int filters, int batch, string pooledName)
    {
        conv.Validate();
        pool.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (!FusesMaxPooling(in conv, in pool, filters))
        {
            throw new ArgumentException(
                $"A {conv.WindowHeight}×{conv.WindowWidth}×{conv.Channels} convolution to {conv.OutputHeight}×{conv.OutputWidth}×{filters} then a "
                + $"{pool.WindowHeight}×{pool.WindowWidth} pooling of {pool.InputHeight}×{pool.InputWidth}×{pool.Channels} is not a pair the fused pass takes.",
                nameof(pool));
        }

        CheckLength(input.Length, (long)batch * conv.InputLength, nameof(input));

        long outputs = (long)batch * pool.OutputPixels * filters;
        CheckLength(pooled.Length, outputs, pooledName);
        return (int)outputs;
    }

    /// <summary>
    /// Parts worth splitting <paramref name="pixels"/> pooled pixels into: 1 below about 256 K multiply-adds (one image of
    /// Keras's first layer: on one thread its whole output stays in the core that goes on with it, 2.5 µs faster per
    /// prediction than split), else up to <paramref name="most"/>.
    /// </summary>
    private static int PooledParts(int pixels, in Conv2DGeometry conv, int filters, int most) =>
        (long)pixels * 4 * conv.WindowLength * filters < (1 << 18) ? 1 : Math.Max(1, Math.Min(Parallelism.MaxThreads, most));

    /// <summary>
    /// Pooled outputs [<paramref name="first"/>, + <paramref name="count"/>): each the four windows of its 2×2 cell
    /// computed as one <see cref="PixelGroup"/> (the direct forward pass's loop), then pooled in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void PooledRows(
        ref float x, ref float w, ref float bias, ref float pooled, ref float winners, bool keepWinners,
        in Conv2DGeometry g, int pooledWidth, int pooledPixels, int filters, int first, int count)
    {
        Span<int> offsets = stackalloc int[DirectMaxDepth];
        int taps = TapOffsets(in g, offsets);
        ref int tap = ref MemoryMarshal.GetReference(offsets);
        SimdTier tier = Simd.EffectiveTier;
        var cells = new PooledCells(in g, pooledWidth, pooledPixels);
        nint column = cells.Column, row = cells.Row;
        var sink = new PooledStore(ref bias, ref pooled, ref winners, keepWinners);
        for (int r = first; r < first + count; r++)
        {
            nint o0 = cells.Origin(r);
            var group = new PixelGroup(o0, o0 + column, o0 + row, o0 + row + column, (nint)r * filters, taps);
            Group(ref x, ref w, ref tap, in group, (nuint)filters, tier, ref sink);
        }
    }

    /// <summary>
    /// The four windows' sums of one register of filters pooled: z + bias and ReLU as <see cref="RowStore"/> stores
    /// them, then the largest of the four in window order, a later one winning only when greater, as
    /// <see cref="MaxPooling2D"/> compares. (For values ≥ 0 or NaN, a − best &gt; 0 exactly when a &gt; best.)
    /// </summary>
    private readonly ref struct PooledStore(ref float bias, ref float pooled, ref float winners, bool keepWinners) : IPixelGroupSink
    {
        private readonly ref float _bias = ref bias;
        private readonly ref float _pooled = ref pooled;
        private readonly ref float _winners = ref winners;
        private readonly bool _keepWinners = keepWinners;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take<TOps, TVec>(in PixelGroup p, nuint column, TVec s0, TVec s1, TVec s2, TVec s3)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec b = TOps.Load(ref _bias, column);
            TVec best = TOps.Max(TOps.Add(s0, b), TOps.Zero), winner = TOps.Zero;
            TVec a = TOps.Max(TOps.Add(s1, b), TOps.Zero), greater = TOps.Subtract(a, best);
            best = TOps.SelectWherePositive(greater, a, best);
            winner = TOps.SelectWherePositive(greater, TOps.Broadcast(1f), winner);
            a = TOps.Max(TOps.Add(s2, b), TOps.Zero);
            greater = TOps.Subtract(a, best);
            best = TOps.SelectWherePositive(greater, a, best);
            winner = TOps.SelectWherePositive(greater, TOps.Broadcast(2f), winner);
            a = TOps.Max(TOps.Add(s3, b), TOps.Zero);
            greater = TOps.Subtract(a, best);
            best = TOps.SelectWherePositive(greater, a, best);
            winner = TOps.SelectWherePositive(greater, TOps.Broadcast(3f), winner);
            nuint at = (nuint)p.Output + column;
            TOps.Store(best, ref _pooled, at);
            if (_keepWinners)
            {
                TOps.Store(winner, ref _winners, at);
            }
        }
    }

    /// <summary>
    /// One lane's kernel and bias gradients over pooled outputs [<paramref name="first"/>, + <paramref name="count"/>),
    /// overwriting <paramref name="dw"/> and <paramref name="db"/>: columns two registers at a time, then one, at the
    /// widest width the tier allows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void PooledGradientLane(
        ref float x, ref float pooled, ref float winners, ref float dy, ref float dw, ref float db,
        in Conv2DGeometry g, int pooledWidth, int pooledPixels, int filters, int first, int count)
    {
        // Taps in groups of four; the last group is padded with the window's first cell, its sums dropped.
        Span<int> offsets = stackalloc int[DirectMaxDepth + 3];
        int taps = TapOffsets(in g, offsets);
        offsets[taps..].Clear();
        var lane = new GradientLane(new PooledCells(in g, pooledWidth, pooledPixels), filters, first, count, taps);
        ref int tap = ref MemoryMarshal.GetReference(offsets);
        SimdTier tier = Simd.EffectiveTier;
        nuint j = 0;
        if (tier >= SimdTier.Vector512)
        {
            j = GradientColumns<Vector512Ops, Vector512<float>>(ref x, ref pooled, ref winners, ref dy, ref dw, ref db, ref tap, in lane, j);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = GradientColumns<Vector256Ops, Vector256<float>>(ref x, ref pooled, ref winners, ref dy, ref dw, ref db, ref tap, in lane, j);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = GradientColumns<Vector128Ops, Vector128<float>>(ref x, ref pooled, ref winners, ref dy, ref dw, ref db, ref tap, in lane, j);
        }

        _ = GradientColumns<ScalarOps, float>(ref x, ref pooled, ref winners, ref dy, ref dw, ref db, ref tap, in lane, j);
    }

    /// <summary>How pooled outputs map to their 2×2 cells of windows in the input, for both fused passes.</summary>
    private readonly struct PooledCells(in Conv2DGeometry g, int pooledWidth, int pooledPixels)
    {
        /// <summary>From a window's origin to the next window's on the right: the cell's second column.</summary>
        public readonly nint Column = g.StrideWidth * g.Channels;

        /// <summary>From a window's origin to the window below: the cell's second row.</summary>
        public readonly nint Row = g.StrideHeight * g.InputWidth * g.Channels;

        private readonly nint _sampleLength = g.InputLength;
        private readonly int _pooledWidth = pooledWidth;
        private readonly int _pooledPixels = pooledPixels;

        /// <summary>The input offset of pooled output <paramref name="r"/>'s first window (its top-left conv pixel).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public nint Origin(int r)
        {
            int b = r / _pooledPixels, py = r % _pooledPixels / _pooledWidth, px = r % _pooledWidth;
            return ((nint)b * _sampleLength) + (2 * py * Row) + (2 * px * Column);
        }
    }

    /// <summary>What one lane of the fused backward pass covers.</summary>
    private readonly struct GradientLane(in PooledCells cells, int filters, int first, int count, int taps)
    {
        public readonly PooledCells Cells = cells;
        public readonly nuint Filters = (nuint)filters;
        public readonly int First = first;
        public readonly int Count = count;
        public readonly int Taps = taps;
    }

    /// <summary>
    /// Columns from <paramref name="j"/>: db = Σ over the lane's outputs of dz (dy where the pooled value is positive),
    /// then dW four taps at a time, each Σ over outputs r and window cells q in order of x[q's window, tap]·dz[r, q],
    /// dz[r, q] being dz where q won and 0 elsewhere. Per column the same operations in the same order at every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint GradientColumns<TOps, TVec>(
        ref float x, ref float pooled, ref float winners, ref float dy, ref float dw, ref float db, ref int tap, in GradientLane lane, nuint j)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count, n = lane.Filters, begin = j;
        int end = lane.First + lane.Count;
        for (; j + width <= n; j += width)
        {
            TVec sum = TOps.Zero;
            for (int r = lane.First; r < end; r++)
            {
                nuint at = ((nuint)r * n) + j;
                sum = TOps.Add(sum, TOps.SelectWherePositive(TOps.Load(ref pooled, at), TOps.Load(ref dy, at), TOps.Zero));
            }

            TOps.Store(sum, ref db, j);
        }

        nuint start = j;
        for (j = begin; j + (2 * width) <= start; j += 2 * width)
        {
            for (int t0 = 0; t0 < lane.Taps; t0 += 4)
            {
                TapsTwoRegisters<TOps, TVec>(ref x, ref pooled, ref winners, ref dy, ref dw, ref Unsafe.Add(ref tap, t0), in lane, j, t0);
            }
        }

        for (; j < start; j += width)
        {
            for (int t0 = 0; t0 < lane.Taps; t0 += 4)
            {
                TapsOneRegister<TOps, TVec>(ref x, ref pooled, ref winners, ref dy, ref dw, ref Unsafe.Add(ref tap, t0), in lane, j, t0);
            }
        }

        return start;
    }

    /// <summary>
    /// dW rows t0 to t0 + 3, columns j to j + 2w: 8 accumulators over the lane's outputs, each window cell q's dz
    /// (dz where q won, else 0) multiplied by the four taps' inputs of q's window. (Kept out of line: inlined into
    /// one body with the other loops, the JIT runs out of tracked locals and keeps the vectors in memory.)
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TapsTwoRegisters<TOps, TVec>(
        ref float x, ref float pooled, ref float winners, ref float dy, ref float dw, ref int tap, in GradientLane lane, nuint j, int t0)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count, n = lane.Filters;
        int f0 = tap, f1 = Unsafe.Add(ref tap, 1), f2 = Unsafe.Add(ref tap, 2), f3 = Unsafe.Add(ref tap, 3);
        nint column = lane.Cells.Column, row = lane.Cells.Row;
        TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        TVec b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero;
        for (int r = lane.First, end = lane.First + lane.Count; r < end; r++)
        {
            nuint at = ((nuint)r * n) + j;
            TVec ga = TOps.SelectWherePositive(TOps.Load(ref pooled, at), TOps.Load(ref dy, at), TOps.Zero);
            TVec gb = TOps.SelectWherePositive(TOps.Load(ref pooled, at + width), TOps.Load(ref dy, at + width), TOps.Zero);
            TVec wa = TOps.Load(ref winners, at), wb = TOps.Load(ref winners, at + width);
            ref float x0 = ref Unsafe.Add(ref x, lane.Cells.Origin(r));
            for (int q = 0; q < 4; q++)
            {
                TVec code = TOps.Broadcast(q);
                TVec da = TOps.ZeroWhereNotEqual(ga, wa, code), dbq = TOps.ZeroWhereNotEqual(gb, wb, code);
                ref float xq = ref Unsafe.Add(ref x0, ((q & 1) * column) + ((q >> 1) * row));
                TVec v0 = TOps.Broadcast(Unsafe.Add(ref xq, f0)), v1 = TOps.Broadcast(Unsafe.Add(ref xq, f1));
                TVec v2 = TOps.Broadcast(Unsafe.Add(ref xq, f2)), v3 = TOps.Broadcast(Unsafe.Add(ref xq, f3));
                a0 = TOps.MultiplyAdd(v0, da, a0);
                b0 = TOps.MultiplyAdd(v0, dbq, b0);
                a1 = TOps.MultiplyAdd(v1, da, a1);
                b1 = TOps.MultiplyAdd(v1, dbq, b1);
                a2 = TOps.MultiplyAdd(v2, da, a2);
                b2 = TOps.MultiplyAdd(v2, dbq, b2);
                a3 = TOps.MultiplyAdd(v3, da, a3);
                b3 = TOps.MultiplyAdd(v3, dbq, b3);
            }
        }

        StoreTaps<TOps, TVec>(ref dw, n, j, t0, lane.Taps, a0, a1, a2, a3);
        StoreTaps<TOps, TVec>(ref dw, n, j + width, t0, lane.Taps, b0, b1, b2, b3);
    }

    /// <summary><see cref="TapsTwoRegisters{TOps, TVec}"/> one register wide: the columns after the last pair.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TapsOneRegister<TOps, TVec>(
        ref float x, ref float pooled, ref float winners, ref float dy, ref float dw, ref int tap, in GradientLane lane, nuint j, int t0)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint n = lane.Filters;
        int f0 = tap, f1 = Unsafe.Add(ref tap, 1), f2 = Unsafe.Add(ref tap, 2), f3 = Unsafe.Add(ref tap, 3);
        nint column = lane.Cells.Column, row = lane.Cells.Row;
        TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        for (int r = lane.First, end = lane.First + lane.Count; r < end; r++)
        {
            nuint at = ((nuint)r * n) + j;
            TVec ga = TOps.SelectWherePositive(TOps.Load(ref pooled, at), TOps.Load(ref dy, at), TOps.Zero);
            TVec wa = TOps.Load(ref winners, at);
            ref float x0 = ref Unsafe.Add(ref x, lane.Cells.Origin(r));
            for (int q = 0; q < 4; q++)
            {
                TVec da = TOps.ZeroWhereNotEqual(ga, wa, TOps.Broadcast(q));
                ref float xq = ref Unsafe.Add(ref x0, ((q & 1) * column) + ((q >> 1) * row));
                a0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xq, f0)), da, a0);
                a1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xq, f1)), da, a1);
                a2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xq, f2)), da, a2);
                a3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xq, f3)), da, a3);
            }
        }

        StoreTaps<TOps, TVec>(ref dw, n, j, t0, lane.Taps, a0, a1, a2, a3);
    }

    /// <summary>Rows t0 to t0 + 3 of dW at columns from <paramref name="j"/>, those past the last tap dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTaps<TOps, TVec>(ref float dw, nuint n, nuint j, int t0, int taps, TVec a0, TVec a1, TVec a2, TVec a3)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        TOps.Store(a0, ref dw, ((nuint)t0 * n) + j);
        if (t0 + 1 < taps)
        {
            TOps.Store(a1, ref dw, ((nuint)(t0 + 1) * n) + j);
        }

        if (t0 + 2 < taps)
        {
            TOps.Store(a2, ref dw, ((nuint)(t0 + 2) * n) + j);
        }

        if (t0 + 3 < taps)
        {
            TOps.Store(a3, ref dw, ((nuint)(t0 + 3) * n) + j);
        }
    }

    [ThreadStatic]
    private static PooledConvolution? t_pooledJob;

    /// <summary>One fused call shared between threads: forward by pooled outputs, backward by lanes of samples.</summary>
    private sealed unsafe class PooledConvolution : IPartitionedJob
    {
        private float* _x;
        private float* _w;
        private float* _bias;
        private float* _pooled;
        private float* _winners;
        private float* _dy;
        private float* _dw;
        private float* _db;
        private float* _scratch;
        private Conv2DGeometry _conv;
        private Conv2DGeometry _pool;
        private int _filters;
        private int _batch;
        private int _lanes;

        public void Set(
            float* x, float* w, float* bias, float* pooled, float* winners, float* dy, float* dw, float* db, float* scratch,
            in Conv2DGeometry conv, in Conv2DGeometry pool, int filters, int batch, int lanes)
        {
            _x = x;
            _w = w;
            _bias = bias;
            _pooled = pooled;
            _winners = winners;
            _dy = dy;
            _dw = dw;
            _db = db;
            _scratch = scratch;
            (_conv, _pool, _filters, _batch, _lanes) = (conv, pool, filters, batch, lanes);
        }

        /// <summary>Forgets the pointers once the call is over, so nothing can use memory that is no longer pinned.</summary>
        public void Clear()
        {
            _x = _w = _bias = _pooled = _winners = _dy = _dw = _db = _scratch = null;
        }

        public void RunPart(int part, int parts)
        {
            int pixels = _pool.OutputPixels;
            if (_lanes == 0)
            {
                (int first, int end) = WorkerPool.Share(_batch * pixels, part, parts);
                float* winners = _winners == null ? _pooled : _winners;
                PooledRows(ref *_x, ref *_w, ref *_bias, ref *_pooled, ref *winners, _winners != null, in _conv, _pool.OutputWidth, pixels, _filters, first, end - first);
                return;
            }

            (int firstLane, int endLane) = WorkerPool.Share(_lanes, part, parts);
            int size = _conv.WindowLength * _filters;
            for (int lane = firstLane; lane < endLane; lane++)
            {
                (int firstSample, int endSample) = WorkerPool.Share(_batch, lane, _lanes);
                float* dw = lane == 0 ? _dw : _scratch + ((nint)(lane - 1) * size);
                float* db = lane == 0 ? _db : _scratch + ((nint)(WeightGradientLanes - 1) * size) + ((nint)(lane - 1) * _filters);
                PooledGradientLane(
                    ref *_x, ref *_pooled, ref *_winners, ref *_dy, ref *dw, ref *db, in _conv, _pool.OutputWidth, pixels, _filters,
                    firstSample * pixels, (endSample - firstSample) * pixels);
            }
        }
    }
}
