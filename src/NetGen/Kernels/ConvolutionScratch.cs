using System;

namespace NetGen.Kernels;

/// <summary>
/// The working memory of <see cref="Conv2D"/> calls, one buffer per calling thread, grown to the largest length asked
/// and then reused: so generated training and inference passes allocate nothing after their first call at a size, and
/// any number of threads can predict with one model at once. <see cref="Conv2D.ScratchLength"/> is not proportional to
/// the batch (it holds the kernel- and bias-gradient lanes and the transposed kernel), so it cannot live in the
/// per-sample buffers the generated code sizes; nothing is kept in it between calls, so every layer shares it. The
/// unrolled windows and a chunk's product go to a second buffer per thread (<see cref="Region"/>).
/// </summary>
public static class ConvolutionScratch
{
    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>The calling thread's scratch for a Conv2D call of geometry <paramref name="g"/> over <paramref name="batch"/> samples.</summary>
    public static Span<float> For(in Conv2DGeometry g, int filters, int batch) => Get(Conv2D.ScratchLength(in g, filters, batch));

    /// <summary>The calling thread's scratch for <see cref="Conv2D.BackwardBiasReluMaxPool"/> of geometry <paramref name="g"/>.</summary>
    public static Span<float> ForMaxPooled(in Conv2DGeometry g, int filters) => Get(Conv2D.MaxPooledScratchLength(in g, filters));

    [ThreadStatic]
    private static float[]? t_region;

    /// <summary>
    /// The calling thread's region for one chunk of unrolled windows, at least <paramref name="length"/> floats from a
    /// cache-line boundary, pinned (allocated on the pinned heap), so a part of a split convolution can hold a pointer
    /// to it. Each thread
    /// keeps its own, so whichever thread claims a part unrolls into memory already in its own core's cache.
    /// </summary>
    internal static unsafe float* Region(int length)
    {
        // 16 floats more, so the region can start on a cache line: each unrolled window row is then whole cache
        // lines, and no 64-byte store of the unrolling (or load of its reading back) is split across two.
        float[]? region = t_region;
        if (region is null || region.Length < length + 16)
        {
            region = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
            t_region = region;
        }

        nint start = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref region[0]);
        return (float*)((start + 63) & ~(nint)63);
    }

    private static Span<float> Get(int length)
    {
        float[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
            t_buffer = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}
