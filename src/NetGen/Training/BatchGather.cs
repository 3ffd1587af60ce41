using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using NetGen.Data;
using NetGen.Threading;

namespace NetGen.Training;

/// <summary>
/// Copies the shuffled samples of one batch into the contiguous buffers a training step reads. The rows are
/// scattered over a dataset far larger than the caches (188 MB for Fashion-MNIST), so each one arrives from memory:
/// 10-15 µs per batch of 32 images, as long as a whole step of the softmax model. <see cref="Trainer"/> therefore
/// posts the next batch's gather to an idle helper thread (<see cref="WorkerPool.TryPost"/>) while the current batch
/// trains; with one thread it gathers between steps. Either way the gather then asks for the following batch's rows
/// ahead of time (a prefetch), so they are on their way before they are copied.
/// </summary>
internal sealed unsafe class BatchGather(Dataset data, int[] order) : IBackgroundJob
{
    private int _first;
    private int _count;
    private int _nextFirst;
    private int _nextCount;
    private float[] _x = [];
    private float[] _y = [];

    /// <summary>
    /// Sets up the next <see cref="Run"/>: samples order[first..first+count) into <paramref name="x"/> and
    /// <paramref name="y"/>, then a prefetch of samples order[nextFirst..nextFirst+nextCount) (count 0: none).
    /// </summary>
    public void Prepare(int first, int count, float[] x, float[] y, int nextFirst, int nextCount)
    {
        _first = first;
        _count = count;
        _x = x;
        _y = y;
        _nextFirst = nextFirst;
        _nextCount = Math.Max(0, nextCount); // past the end of the epoch: nothing to prefetch
    }

    /// <summary>Rows per chunk: about 12 KB of Fashion-MNIST, 1-2 µs, so a helper soon returns to any product waiting for it.</summary>
    private const int RowsPerChunk = 4;

    /// <inheritdoc/>
    public int Chunks => Math.Min(WorkerPool.MaxChunks, (_count + RowsPerChunk - 1) / RowsPerChunk);

    /// <summary>Gathers everything <see cref="Prepare"/> set up, on this thread.</summary>
    public void Run()
    {
        for (int chunk = 0, chunks = Chunks; chunk < chunks; chunk++)
        {
            RunChunk(chunk);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunChunk(int chunk)
    {
        int chunks = Chunks;
        int inSize = data.FeatureSize, tSize = data.TargetSize;
        (int start, int end) = WorkerPool.Share(_count, chunk, chunks);
        for (int r = start; r < end; r++)
        {
            int sample = order[_first + r];
            data.FeaturesOf(sample).CopyTo(_x.AsSpan(r * inSize, inSize));
            data.TargetsOf(sample).CopyTo(_y.AsSpan(r * tSize, tSize));
        }

        if (Sse.IsSupported)
        {
            // The same share of the following batch's rows.
            (int nextStart, int nextEnd) = WorkerPool.Share(_nextCount, chunk, chunks);
            for (int r = nextStart; r < nextEnd; r++)
            {
                // Only an address for the prefetch: nothing is read through the pointer.
                fixed (float* row = data.FeaturesOf(order[_nextFirst + r]))
                {
                    for (int offset = 0; offset < inSize * sizeof(float); offset += 64)
                    {
                        Sse.Prefetch1((byte*)row + offset);
                    }
                }
            }
        }
    }
}
