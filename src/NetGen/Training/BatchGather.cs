using System;
using System.Runtime.Intrinsics.X86;
using NetGen.Data;
using NetGen.Kernels;
using NetGen.Threading;

namespace NetGen.Training;

/// <summary>
/// Copies the shuffled samples of one batch into the contiguous buffers a training step reads. Two costs hide here:
/// the rows are scattered over a dataset far larger than the caches (188 MB for Fashion-MNIST), so each row arrives
/// from memory; and when the forward product is split over k between threads (<c>Gemm.Parallel.cs</c>), thread q
/// reads only features [start_q, start_q+1) of every sample. So each thread gathers exactly those features, which
/// then never move between cores, and asks the memory system for the next batch's rows ahead of time.
/// </summary>
internal sealed unsafe class BatchGather : IPartitionedJob
{
    private readonly float[] _features;
    private readonly float[] _targets;
    private readonly int[] _order;
    private readonly float[] _x;
    private readonly float[] _y;
    private readonly int _inSize;
    private readonly int _tSize;
    private int _first;
    private int _count;
    private int _nextFirst;
    private int _nextCount;

    public BatchGather(Dataset data, int[] order, float[] x, float[] y)
    {
        _features = data.FeatureArray;
        _targets = data.TargetArray;
        _order = order;
        _x = x;
        _y = y;
        _inSize = data.FeatureSize;
        _tSize = data.TargetSize;
    }

    /// <summary>
    /// Fills the buffers with samples order[first..first+count), and prefetches samples
    /// order[nextFirst..nextFirst+nextCount) (count 0: none).
    /// </summary>
    public void Gather(int first, int count, int nextFirst, int nextCount)
    {
        (_first, _count, _nextFirst, _nextCount) = (first, count, nextFirst, nextCount);
        WorkerPool.Run(this, Gemm.DepthSplitParts(_inSize));
    }

    public void RunPart(int part, int parts)
    {
        int start = Gemm.DepthSplitStart(_inSize, part, parts), end = Gemm.DepthSplitStart(_inSize, part + 1, parts);
        int width = end - start;
        for (int r = 0; r < _count; r++)
        {
            int sample = _order[_first + r];
            _features.AsSpan((sample * _inSize) + start, width).CopyTo(_x.AsSpan((r * _inSize) + start, width));
        }

        if (part == 0)
        {
            for (int r = 0; r < _count; r++)
            {
                _targets.AsSpan(_order[_first + r] * _tSize, _tSize).CopyTo(_y.AsSpan(r * _tSize, _tSize));
            }
        }

        if (Sse.IsSupported && _nextCount > 0 && width > 0)
        {
            fixed (float* features = _features)
            {
                for (int r = 0; r < _nextCount; r++)
                {
                    byte* row = (byte*)(features + ((long)_order[_nextFirst + r] * _inSize) + start);
                    for (int offset = 0; offset < width * sizeof(float); offset += 64)
                    {
                        Sse.Prefetch1(row + offset);
                    }
                }
            }
        }
    }
}
