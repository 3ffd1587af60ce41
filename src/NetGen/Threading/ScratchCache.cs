using System;
using System.Buffers;

namespace NetGen.Threading;

/// <summary>
/// The activation scratch of inference calls (<c>Predict</c>, <c>PredictBatch</c>, <c>Evaluate</c>): rented per call,
/// so that any number of threads can run one model at once. Small buffers (a single prediction's, an evaluation batch's)
/// come from one array kept per thread, with no lock and no shared memory; large ones (a batch prediction's chunks) from
/// <see cref="ArrayPool{T}.Shared"/>, which also keeps them per thread first, so a thread that predicted once never keeps
/// megabytes for good.
/// </summary>
/// <remarks>
/// The scratch holds only activations, never weights, so one array serves every model a thread runs. A thread takes its
/// array out while it uses it: a nested call (there is none today) would get a fresh one rather than share it.
/// </remarks>
internal static class ScratchCache
{
    /// <summary>The largest array kept per thread: 64 KB, a batch of 32 through a model 500 floats wide.</summary>
    internal const int MaxCachedFloats = 16 * 1024;

    [ThreadStatic]
    private static float[]? t_scratch;

    /// <summary>A buffer of at least <paramref name="length"/> floats, holding whatever the last user left in it.</summary>
    public static float[] Rent(int length)
    {
        if (length > MaxCachedFloats)
        {
            return ArrayPool<float>.Shared.Rent(length);
        }

        float[]? scratch = t_scratch;
        if (scratch is not null && scratch.Length >= length)
        {
            t_scratch = null;
            return scratch;
        }

        return new float[length];
    }

    /// <summary>Gives back a buffer from <see cref="Rent"/>; the thread keeps the larger of it and the one it holds.</summary>
    public static void Return(float[] scratch)
    {
        if (scratch.Length > MaxCachedFloats)
        {
            ArrayPool<float>.Shared.Return(scratch);
            return;
        }

        if (t_scratch is null || t_scratch.Length < scratch.Length)
        {
            t_scratch = scratch;
        }
    }
}
