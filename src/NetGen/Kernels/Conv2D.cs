using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// 2-D convolution over NHWC tensors with a Keras-layout kernel [kh, kw, cin, filters], as matrix products on
/// <see cref="Gemm"/>: the windows are unrolled into rows (im2col), one row per output pixel of every sample, so the
/// forward pass is one product of M = batch·oh·ow rows, depth K = kh·kw·cin and N = filters columns. The kernel read
/// as a K×N matrix is exactly Keras's layout, so it needs no copy. No bias: the caller adds bias and activation over
/// the M rows of the output.
/// </summary>
/// <remarks>
/// A 1×1 kernel with stride 1 and no padding is already a product (the input is the M×K matrix) and skips the
/// unrolling. Results do not depend on the thread count or the tier: the unrolling only copies, the products are
/// <see cref="Gemm"/>'s (bit-identical for any thread count and tier), and the input gradient's sums over overlapping
/// windows (col2im) are added on one thread in a fixed order.
/// </remarks>
public static class Conv2D
{
    /// <summary>Floats of scratch <see cref="Forward"/> and <see cref="Backward"/> need for <paramref name="batch"/> samples.</summary>
    public static int ScratchLength(in Conv2DGeometry g, int filters, int batch) =>
        IsPlainProduct(in g) ? 0 : checked(batch * g.OutputPixels * g.WindowLength);

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

        Span<float> columns = scratch[..(rows * depth)];
        Im2Col(input, columns, in g, batch);
        Gemm.MatMul(columns, kernel, output, rows, depth, filters);
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

        Span<float> columns = scratch[..(rows * depth)];
        Im2Col(input, columns, in g, batch);
        Gemm.MatMulTransA(columns, outputGradient, kernelGradient, depth, rows, filters);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        // The windows' gradient dCol = dZ·Wᵀ reuses the scratch (the columns are no longer needed), then each window
        // adds its gradient back onto the input cells it covered.
        Gemm.MatMulTransB(outputGradient, kernel, columns, rows, filters, depth);
        Col2Im(columns, inputGradient, in g, batch);
    }

    /// <summary>True when the input already is the product's M×K matrix: a 1×1 window, stride 1, no padding.</summary>
    private static bool IsPlainProduct(in Conv2DGeometry g) =>
        g.WindowHeight == 1 && g.WindowWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.OutputHeight == g.InputHeight && g.OutputWidth == g.InputWidth;

    /// <summary>
    /// Row (b, oy, ox) of <paramref name="columns"/> = the window of that output pixel, in Keras's kernel order
    /// (ky, kx, c), padded cells 0. In NHWC each window row is one contiguous run of kw·C floats of the input (cut at
    /// the left and right edges), so the unrolling is kh short copies per output pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2Col(ReadOnlySpan<float> input, Span<float> columns, in Conv2DGeometry g, int batch)
    {
        int h = g.InputHeight, w = g.InputWidth, c = g.Channels, kh = g.WindowHeight, kw = g.WindowWidth;
        int rowLength = kw * c, depth = g.WindowLength;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float col = ref MemoryMarshal.GetReference(columns);
        nint at = 0;
        for (int b = 0; b < batch; b++)
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
                        ref float target = ref Unsafe.Add(ref col, at + (ky * rowLength));
                        int iy = iy0 + ky;
                        if ((uint)iy >= (uint)h)
                        {
                            Clear(ref target, rowLength);
                            continue;
                        }

                        Clear(ref target, kxStart * c);
                        ref float source = ref Unsafe.Add(ref x, sample + ((((nint)iy * w) + ix0 + kxStart) * c));
                        Copy(ref source, ref Unsafe.Add(ref target, kxStart * c), (kxEnd - kxStart) * c);
                        Clear(ref Unsafe.Add(ref target, kxEnd * c), (kw - kxEnd) * c);
                    }
                }
            }
        }
    }

    /// <summary>
    /// dx = 0, then each row of <paramref name="columns"/> (a window's gradient) is added onto the input cells the
    /// window covered, padded cells dropped; windows in row order, so overlapping windows always add in one order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Col2Im(ReadOnlySpan<float> columns, Span<float> inputGradient, in Conv2DGeometry g, int batch)
    {
        int h = g.InputHeight, w = g.InputWidth, c = g.Channels, kh = g.WindowHeight, kw = g.WindowWidth;
        int rowLength = kw * c, depth = g.WindowLength;
        inputGradient[..(batch * g.InputLength)].Clear();
        ref float dx = ref MemoryMarshal.GetReference(inputGradient);
        ref float col = ref MemoryMarshal.GetReference(columns);
        nint at = 0;
        for (int b = 0; b < batch; b++)
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
                        AddInto(ref source, ref target, (kxEnd - kxStart) * c);
                    }
                }
            }
        }
    }

    /// <summary>Short runs (a 3-wide window of one channel) as a plain loop: a memmove call would cost more than the copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float source, ref float target, int count)
    {
        if (count >= 16)
        {
            Unsafe.CopyBlockUnaligned(
                ref Unsafe.As<float, byte>(ref target), ref Unsafe.As<float, byte>(ref source), (uint)count * sizeof(float));
            return;
        }

        for (int i = 0; i < count; i++)
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

    /// <summary>target += source element-wise (the same single rounding per element at any vector width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto(ref float source, ref float target, int count)
    {
        if (count >= 16)
        {
            Span<float> t = MemoryMarshal.CreateSpan(ref target, count);
            TensorPrimitives.Add(t, MemoryMarshal.CreateReadOnlySpan(ref source, count), t);
            return;
        }

        for (int i = 0; i < count; i++)
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
