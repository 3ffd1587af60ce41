using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Threading;

namespace NetGen.Kernels;

/// <summary>
/// 2-D convolution over NHWC tensors with a Keras-layout kernel [kh, kw, cin, filters], as matrix products on
/// <see cref="Gemm"/>: the windows are unrolled into rows (im2col), one row per output pixel, so the forward pass is a
/// product of M = batch·oh·ow rows, depth K = kh·kw·cin and N = filters columns, and the kernel read as a K×N matrix
/// is exactly Keras's layout. No bias: the caller adds bias and activation over the M rows of the output.
/// </summary>
/// <remarks>
/// <para>The windows are unrolled a chunk at a time (about 128 KiB, <see cref="ChunkFloats"/>), each chunk multiplied
/// while it is still in L2: unrolling a whole batch (4.5 MB for the simple convnet's second layer) and reading it back
/// cost more than the product. Chunks are shared between threads (<see cref="Parallelism"/>) as more parts than
/// threads, claimed by whichever thread is free; each thread unrolls into its own region
/// (<see cref="ConvolutionScratch"/>) and runs its products on itself.</para>
/// <para>Results do not depend on the thread count or the tier. The output and the input gradient are per-row
/// products (bit-identical however the rows are split) and the input gradient of a chunk of whole samples is added
/// back (col2im) by the thread that owns those samples, in window order. The kernel gradient sums over every window:
/// chunks are dealt to <see cref="WeightGradientLanes"/> fixed lanes (a fixed partition, whatever the thread count),
/// each lane sums its chunks in order, and the lanes are added in lane order at the end.</para>
/// <para>A short window (kh·kw·cin ≤ 32, e.g. a first layer on grey images) that reads no padding cell runs its
/// forward pass directly from the input (Conv2D.Direct.cs): the GEMM's register block would be only that deep and the
/// unrolling cost more than the product. Its backward pass stays on the unrolled product, unless it is a first layer
/// fused with its pooling (Conv2D.MaxPooled.cs).</para>
/// <para>A 1×1 kernel with stride 1 and no padding is already a product (the input is the M×K matrix) and goes to
/// <see cref="Gemm"/> directly, which splits it itself.</para>
/// </remarks>
public static partial class Conv2D
{
    /// <summary>Floats of unrolled windows one chunk aims at: 128 KiB, in L2 beside the kernel and the chunk's output.</summary>
    internal const int ChunkFloats = 32 * 1024;

    /// <summary>
    /// The fixed number of partial kernel gradients: chunks are dealt to lanes in order, each lane's chunks summed on
    /// one thread, the lanes added in order. The lanes are the parts of a split backward pass, claimed by whichever
    /// thread is free, so two threads balance in eighths of the work rather than halves.
    /// </summary>
    internal const int WeightGradientLanes = 8;

    /// <summary>
    /// Floats of scratch <see cref="Forward"/> and <see cref="Backward"/> need for <paramref name="batch"/> samples:
    /// the kernel-gradient lanes other than the first, the transposed kernel, and two rows per lane of bias gradient
    /// (<see cref="BackwardReluMaxPool"/>). (The unrolled windows go to each thread's own region,
    /// <see cref="ConvolutionScratch"/>.)
    /// </summary>
    public static int ScratchLength(in Conv2DGeometry g, int filters, int batch) =>
        IsPlainProduct(in g) ? 0 : checked(BiasLanesAt(g.WindowLength, filters) + (2 * WeightGradientLanes * filters));

    /// <summary>
    /// Where the scratch's bias-gradient lanes start (<see cref="BackwardReluMaxPool"/>): after the kernel-gradient
    /// lanes 1 to 7 and the transposed kernel; each lane then has a second row for its current chunk's sum.
    /// </summary>
    private static int BiasLanesAt(int depth, int filters) => WeightGradientLanes * depth * filters;

    /// <summary>
    /// z[b,oy,ox,f] = Σ_{ky,kx,c} x[b, oy·sh+ky−pt, ox·sw+kx−pl, c] · W[ky,kx,c,f], padded cells counting as 0.
    /// Overwrites <paramref name="output"/> (batch·oh·ow·filters floats).
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, Span<float> output, Span<float> scratch,
        in Conv2DGeometry g, int filters, int batch)
    {
        Check(input, kernel, output, scratch, in g, filters, batch, nameof(output));
        int rows = batch * g.OutputPixels, depth = g.WindowLength;
        if (IsPlainProduct(in g))
        {
            Gemm.MatMul(input, kernel, output, rows, depth, filters);
            return;
        }

        RunJob(input, kernel, output, default, default, default, scratch, in g, filters, batch, backward: false);
    }

    /// <summary>
    /// From dz (the gradient of the pre-activation output, batch·oh·ow·filters floats): overwrites
    /// <paramref name="kernelGradient"/> with dW = Σ over windows of x·dz, and <paramref name="inputGradient"/> with dx
    /// unless it is empty (a first layer needs no dx).
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> outputGradient,
        Span<float> kernelGradient, Span<float> inputGradient, Span<float> scratch, in Conv2DGeometry g, int filters, int batch)
    {
        Check(input, kernel, outputGradient, scratch, in g, filters, batch, nameof(outputGradient));
        int rows = batch * g.OutputPixels, depth = g.WindowLength;
        CheckLength(kernelGradient.Length, depth * filters, nameof(kernelGradient));
        if (!inputGradient.IsEmpty)
        {
            CheckLength(inputGradient.Length, batch * g.InputLength, nameof(inputGradient));
        }

        if (IsPlainProduct(in g))
        {
            // dW[K×F] = Xᵀ·dZ and dX = dZ·Wᵀ, the input itself being the M×K matrix of windows.
            Gemm.MatMulTransA(input, outputGradient, kernelGradient, depth, rows, filters);
            if (!inputGradient.IsEmpty)
            {
                Gemm.MatMulTransB(outputGradient, kernel, inputGradient, rows, filters, depth);
            }

            return;
        }

        if (batch == 0)
        {
            kernelGradient[..(depth * filters)].Clear();
            return;
        }

        RunJob(input, kernel, default, outputGradient, kernelGradient, inputGradient, scratch, in g, filters, batch, backward: true);
    }

    /// <summary>True when the input already is the product's M×K matrix: a 1×1 window, stride 1, no padding.</summary>
    private static bool IsPlainProduct(in Conv2DGeometry g) =>
        g.WindowHeight == 1 && g.WindowWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.OutputHeight == g.InputHeight && g.OutputWidth == g.InputWidth;

    /// <summary>
    /// Rows [<paramref name="firstRow"/>, + <paramref name="count"/>) of the unrolled windows into
    /// <paramref name="col"/>: row (b, oy, ox) = the window of that output pixel, in Keras's kernel order
    /// (ky, kx, c), padded cells 0. In NHWC each window row is one contiguous run of kw·C floats of the input (cut at
    /// the left and right edges), so the unrolling is kh short copies per output pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2Col(ref float x, ref float col, in Conv2DGeometry g, int firstRow, int count)
    {
        int h = g.InputHeight, w = g.InputWidth, c = g.Channels, kh = g.WindowHeight, kw = g.WindowWidth;
        int rowLength = kw * c, depth = g.WindowLength, pixels = g.OutputPixels;
        SimdTier tier = Simd.EffectiveTier;
        int b = firstRow / pixels, oy = firstRow % pixels / g.OutputWidth, ox = firstRow % g.OutputWidth;
        nint at = 0;
        for (int done = 0; done < count; done++, at += depth)
        {
            nint sample = (nint)b * g.InputLength;
            int iy0 = (oy * g.StrideHeight) - g.PadTop, ix0 = (ox * g.StrideWidth) - g.PadLeft;
            int kxStart = Math.Max(0, -ix0), kxEnd = Math.Min(kw, w - ix0);
            for (int ky = 0; ky < kh; ky++)
            {
                ref float target = ref Unsafe.Add(ref col, at + (ky * rowLength));
                int iy = iy0 + ky;
                if ((uint)iy >= (uint)h)
                {
                    Clear(ref target, rowLength);
                    continue;
                }

                Clear(ref target, kxStart * c);
                ref float source = ref Unsafe.Add(ref x, sample + ((((nint)iy * w) + ix0 + kxStart) * c));
                Copy(ref source, ref Unsafe.Add(ref target, kxStart * c), (kxEnd - kxStart) * c, tier);
                Clear(ref Unsafe.Add(ref target, kxEnd * c), (kw - kxEnd) * c);
            }

            if (++ox == g.OutputWidth)
            {
                ox = 0;
                if (++oy == g.OutputHeight)
                {
                    oy = 0;
                    b++;
                }
            }
        }
    }

    /// <summary>
    /// dx = 0 for samples [<paramref name="firstSample"/>, + <paramref name="samples"/>), then each row of
    /// <paramref name="col"/> (the gradient of one of their windows) is added onto the input cells the window
    /// covered, padded cells dropped; windows in row order, so overlapping windows always add in one order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Col2Im(ref float col, ref float dx, in Conv2DGeometry g, int firstSample, int samples)
    {
        int h = g.InputHeight, w = g.InputWidth, c = g.Channels, kh = g.WindowHeight, kw = g.WindowWidth;
        int rowLength = kw * c, depth = g.WindowLength;
        SimdTier tier = Simd.EffectiveTier;
        MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, (nint)firstSample * g.InputLength), samples * g.InputLength).Clear();
        nint at = 0;
        for (int b = firstSample; b < firstSample + samples; b++)
        {
            nint sample = (nint)b * g.InputLength;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int iy0 = (oy * g.StrideHeight) - g.PadTop;
                for (int ox = 0; ox < g.OutputWidth; ox++, at += depth)
                {
                    int ix0 = (ox * g.StrideWidth) - g.PadLeft;
                    int kxStart = Math.Max(0, -ix0), kxEnd = Math.Min(kw, w - ix0);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int iy = iy0 + ky;
                        if ((uint)iy >= (uint)h)
                        {
                            continue;
                        }

                        ref float source = ref Unsafe.Add(ref col, at + (ky * rowLength) + (kxStart * c));
                        ref float target = ref Unsafe.Add(ref dx, sample + ((((nint)iy * w) + ix0 + kxStart) * c));
                        AddInto(ref source, ref target, (kxEnd - kxStart) * c, tier);
                    }
                }
            }
        }
    }

    /// <summary>
    /// target[..count] = source[..count] in registers of the tier's width, then narrower ones: the runs are short (a
    /// window row, 3 to a few hundred floats), where a memmove call costs more than the copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float source, ref float target, int count, SimdTier tier)
    {
        nuint i = 0, n = (nuint)count;
        if (tier >= SimdTier.Vector512)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector512.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
            }
        }

        if (tier >= SimdTier.Vector256)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
            }
        }

        if (tier >= SimdTier.Vector128)
        {
            for (; i + 4 <= n; i += 4)
            {
                Vector128.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(ref float target, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref target, i) = 0f;
        }
    }

    /// <summary>target += source element-wise: one rounding per element, the same bits at any vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto(ref float source, ref float target, int count, SimdTier tier)
    {
        nuint i = 0, n = (nuint)count;
        if (tier >= SimdTier.Vector512)
        {
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.LoadUnsafe(ref target, i) + Vector512.LoadUnsafe(ref source, i)).StoreUnsafe(ref target, i);
            }
        }

        if (tier >= SimdTier.Vector256)
        {
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.LoadUnsafe(ref target, i) + Vector256.LoadUnsafe(ref source, i)).StoreUnsafe(ref target, i);
            }
        }

        if (tier >= SimdTier.Vector128)
        {
            for (; i + 4 <= n; i += 4)
            {
                (Vector128.LoadUnsafe(ref target, i) + Vector128.LoadUnsafe(ref source, i)).StoreUnsafe(ref target, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref target, i) += Unsafe.Add(ref source, i);
        }
    }

    private static void Check(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> output, Span<float> scratch,
        in Conv2DGeometry g, int filters, int batch, string outputName)
    {
        g.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        CheckLength(input.Length, (long)batch * g.InputLength, nameof(input));
        CheckLength(kernel.Length, (long)g.WindowLength * filters, nameof(kernel));
        CheckLength(output.Length, (long)batch * g.OutputPixels * filters, outputName);
        CheckLength(scratch.Length, ScratchLength(in g, filters, batch), nameof(scratch));
    }

    private static void CheckLength(int actual, long needed, string name)
    {
        if (actual < needed)
        {
            throw new ArgumentException($"{name} holds {actual} floats; the convolution needs {needed}.", name);
        }
    }
}
