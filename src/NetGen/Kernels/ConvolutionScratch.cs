using System;

namespace NetGen.Kernels;

/// <summary>
/// The working memory of <see cref="Conv2D"/> calls, one buffer per calling thread, grown to the largest length asked
/// and then reused: so generated training and inference passes allocate nothing after their first call at a size, and
/// any number of threads can predict with one model at once. <see cref="Conv2D.ScratchLength"/> is not proportional to
/// the batch (it holds one chunk region per possible worker and the kernel-gradient lanes), so it cannot live in the
/// per-sample buffers the generated code sizes; nothing is kept in it between calls, so every layer shares it.
/// </summary>
public static class ConvolutionScratch
{
    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>The calling thread's scratch for a Conv2D call of geometry <paramref name="g"/> over <paramref name="batch"/> samples.</summary>
    public static Span<float> For(in Conv2DGeometry g, int filters, int batch) => Get(Conv2D.ScratchLength(in g, filters, batch));

    /// <summary>The calling thread's scratch for <see cref="Conv2D.BackwardBiasReluMaxPool"/> of geometry <paramref name="g"/>.</summary>
    public static Span<float> ForMaxPooled(in Conv2DGeometry g, int filters) => Get(Conv2D.MaxPooledScratchLength(in g, filters));

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
