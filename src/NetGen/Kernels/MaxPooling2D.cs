using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Threading;

namespace NetGen.Kernels;

/// <summary>
/// Max pooling over NHWC tensors, channel by channel (<see cref="Conv2DGeometry.Channels"/> in and out). The forward
/// pass records each output's winner as its flat index into the batch's input tensor; padded cells never win. Ties
/// go to the first cell in window order (row by row), as in TF.
/// </summary>
/// <remarks>
/// Vectorized over channels (contiguous in NHWC) at the width <see cref="Simd"/> allows; every lane runs the same
/// comparisons in the same order as the scalar loop, so every tier gives the same outputs and argmax. A NaN never
/// wins against a number it follows (the comparison is "greater than").
/// </remarks>
public static class MaxPooling2D
{
    /// <summary>output[b,oy,ox,c] = max over the window's input cells; argmax[same index] = the winner's flat input index.</summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Forward(ReadOnlySpan<float> input, Span<float> output, Span<int> argmax, in Conv2DGeometry g, int batch)
    {
        Pooling.Check(input.Length, output.Length, in g, batch, nameof(output));
        Pooling.CheckLength(argmax.Length, (long)batch * g.OutputPixels * g.Channels, nameof(argmax));

        // Samples are independent: a large batch is shared between threads, whole samples each (same outputs, same winners).
        long cells = (long)batch * g.OutputPixels * g.Channels * g.WindowHeight * g.WindowWidth;
        int parts = Parallelism.MaxThreads < 2 || cells < SplitCells ? 1 : Math.Min(Parallelism.MaxThreads, batch);
        if (parts == 1)
        {
            ForwardSamples(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(output), ref MemoryMarshal.GetReference(argmax), in g, 0, batch);
            return;
        }

        fixed (float* x = input, y = output)
        fixed (int* arg = argmax)
        {
            SplitForward job = t_job ??= new SplitForward();
            job.Set(x, y, arg, in g, batch);
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

    /// <summary>Window cells a forward pass reads before it is shared between threads (about 20 µs of work).</summary>
    private const long SplitCells = 128 * 1024;

    [ThreadStatic]
    private static SplitForward? t_job;

    /// <summary>Samples [<paramref name="firstSample"/>, <paramref name="endSample"/>) of the forward pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSamples(ref float x, ref float y, ref int arg, in Conv2DGeometry g, int firstSample, int endSample)
    {
        int c = g.Channels;
        SimdTier tier = Simd.EffectiveTier;
        nint at = (nint)firstSample * g.OutputPixels * c;
        for (int b = firstSample; b < endSample; b++)
        {
            int sample = b * g.InputLength;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                (int y0, int y1) = Pooling.Rows(in g, oy);
                for (int ox = 0; ox < g.OutputWidth; ox++, at += c)
                {
                    (int x0, int x1) = Pooling.Columns(in g, ox);
                    int first = sample + (((y0 * g.InputWidth) + x0) * c);
                    var window = new Window(first, x1 - x0, y1 - y0, g.InputWidth * c, c);
                    int ch = 0;
                    if (tier >= SimdTier.Vector512)
                    {
                        ch = Window512(ref x, ref Unsafe.Add(ref y, at), ref Unsafe.Add(ref arg, at), in window, ch);
                    }

                    if (tier >= SimdTier.Vector256)
                    {
                        ch = Window256(ref x, ref Unsafe.Add(ref y, at), ref Unsafe.Add(ref arg, at), in window, ch);
                    }

                    if (tier >= SimdTier.Vector128)
                    {
                        ch = Window128(ref x, ref Unsafe.Add(ref y, at), ref Unsafe.Add(ref arg, at), in window, ch);
                    }

                    WindowScalar(ref x, ref Unsafe.Add(ref y, at), ref Unsafe.Add(ref arg, at), in window, ch);
                }
            }
        }
    }

    /// <summary>One forward pass shared between threads by whole samples; one per calling thread, reused.</summary>
    private sealed unsafe class SplitForward : IPartitionedJob
    {
        private float* _x;
        private float* _y;
        private int* _arg;
        private Conv2DGeometry _g;
        private int _batch;

        public void Set(float* x, float* y, int* arg, in Conv2DGeometry g, int batch)
        {
            _x = x;
            _y = y;
            _arg = arg;
            (_g, _batch) = (g, batch);
        }

        /// <summary>Forgets the pointers once the call is over.</summary>
        public void Clear()
        {
            _x = _y = null;
            _arg = null;
        }

        public void RunPart(int part, int parts)
        {
            (int first, int end) = WorkerPool.Share(_batch, part, parts);
            ForwardSamples(ref *_x, ref *_y, ref *_arg, in _g, first, end);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradient"/>: zero, then each output's gradient added to the input cell that
    /// won its window (overlapping windows add in output order).
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent, a buffer is too short, or an argmax is out of range.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argmax, Span<float> inputGradient, in Conv2DGeometry g, int batch)
    {
        Pooling.Check(inputGradient.Length, outputGradient.Length, in g, batch, nameof(outputGradient));
        Pooling.CheckLength(argmax.Length, (long)batch * g.OutputPixels * g.Channels, nameof(argmax));
        Route(outputGradient, argmax, inputGradient, in g, 0, batch);
    }

    /// <summary>
    /// <see cref="Backward"/> for samples [<paramref name="firstSample"/>, + <paramref name="samples"/>) of
    /// whole-batch buffers (the argmax holds flat indices into the whole batch's input): their input gradient zeroed,
    /// then each of their outputs' gradient added at its winner, which must lie in those samples' cells.
    /// </summary>
    /// <exception cref="ArgumentException">An argmax points outside those samples' cells.</exception>
    internal static void Route(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argmax, Span<float> inputGradient, in Conv2DGeometry g, int firstSample, int samples)
    {
        int outputs = g.OutputPixels * g.Channels, start = firstSample * g.InputLength, cells = samples * g.InputLength;
        Span<float> dx = inputGradient.Slice(start, cells);
        dx.Clear();
        for (int i = firstSample * outputs, end = i + (samples * outputs); i < end; i++)
        {
            int target = argmax[i] - start;
            if ((uint)target >= (uint)cells)
            {
                throw new ArgumentException($"argmax[{i}] = {argmax[i]} is outside the input's cells [{start}, {start + cells}) of samples {firstSample} to {firstSample + samples - 1}.", nameof(argmax));
            }

            dx[target] += outputGradient[i];
        }
    }

    /// <summary>One output pixel's window: its first input cell, its size once cut by padding, and the input's strides.</summary>
    private readonly record struct Window(int First, int Width, int Height, int RowStride, int Channels);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Window512(ref float x, ref float y, ref int arg, in Window w, int ch)
    {
        Vector512<int> lanes = Vector512<int>.Indices;
        for (; ch + Vector512<float>.Count <= w.Channels; ch += Vector512<float>.Count)
        {
            Vector512<float> best = default;
            Vector512<int> winner = Vector512.Create(w.First + ch) + lanes;
            bool seeded = false;
            for (int ky = 0; ky < w.Height; ky++)
            {
                for (int kx = 0; kx < w.Width; kx++)
                {
                    int cell = w.First + (ky * w.RowStride) + (kx * w.Channels) + ch;
                    Vector512<float> v = Vector512.LoadUnsafe(ref x, (nuint)cell);
                    if (!seeded)
                    {
                        best = v;
                        seeded = true;
                        continue;
                    }

                    Vector512<float> greater = Vector512.GreaterThan(v, best);
                    best = Vector512.ConditionalSelect(greater, v, best);
                    winner = Vector512.ConditionalSelect(greater.AsInt32(), Vector512.Create(cell) + lanes, winner);
                }
            }

            best.StoreUnsafe(ref y, (nuint)ch);
            winner.StoreUnsafe(ref arg, (nuint)ch);
        }

        return ch;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Window256(ref float x, ref float y, ref int arg, in Window w, int ch)
    {
        Vector256<int> lanes = Vector256<int>.Indices;
        for (; ch + Vector256<float>.Count <= w.Channels; ch += Vector256<float>.Count)
        {
            Vector256<float> best = default;
            Vector256<int> winner = Vector256.Create(w.First + ch) + lanes;
            bool seeded = false;
            for (int ky = 0; ky < w.Height; ky++)
            {
                for (int kx = 0; kx < w.Width; kx++)
                {
                    int cell = w.First + (ky * w.RowStride) + (kx * w.Channels) + ch;
                    Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)cell);
                    if (!seeded)
                    {
                        best = v;
                        seeded = true;
                        continue;
                    }

                    Vector256<float> greater = Vector256.GreaterThan(v, best);
                    best = Vector256.ConditionalSelect(greater, v, best);
                    winner = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(cell) + lanes, winner);
                }
            }

            best.StoreUnsafe(ref y, (nuint)ch);
            winner.StoreUnsafe(ref arg, (nuint)ch);
        }

        return ch;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Window128(ref float x, ref float y, ref int arg, in Window w, int ch)
    {
        Vector128<int> lanes = Vector128<int>.Indices;
        for (; ch + Vector128<float>.Count <= w.Channels; ch += Vector128<float>.Count)
        {
            Vector128<float> best = default;
            Vector128<int> winner = Vector128.Create(w.First + ch) + lanes;
            bool seeded = false;
            for (int ky = 0; ky < w.Height; ky++)
            {
                for (int kx = 0; kx < w.Width; kx++)
                {
                    int cell = w.First + (ky * w.RowStride) + (kx * w.Channels) + ch;
                    Vector128<float> v = Vector128.LoadUnsafe(ref x, (nuint)cell);
                    if (!seeded)
                    {
                        best = v;
                        seeded = true;
                        continue;
                    }

                    Vector128<float> greater = Vector128.GreaterThan(v, best);
                    best = Vector128.ConditionalSelect(greater, v, best);
                    winner = Vector128.ConditionalSelect(greater.AsInt32(), Vector128.Create(cell) + lanes, winner);
                }
            }

            best.StoreUnsafe(ref y, (nuint)ch);
            winner.StoreUnsafe(ref arg, (nuint)ch);
        }

        return ch;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WindowScalar(ref float x, ref float y, ref int arg, in Window w, int ch)
    {
        for (; ch < w.Channels; ch++)
        {
            int winner = w.First + ch;
            float best = Unsafe.Add(ref x, winner);
            for (int ky = 0; ky < w.Height; ky++)
            {
                for (int kx = 0; kx < w.Width; kx++)
                {
                    int cell = w.First + (ky * w.RowStride) + (kx * w.Channels) + ch;
                    float v = Unsafe.Add(ref x, cell);
                    if (v > best)
                    {
                        best = v;
                        winner = cell;
                    }
                }
            }

            Unsafe.Add(ref y, ch) = best;
            Unsafe.Add(ref arg, ch) = winner;
        }
    }
}
