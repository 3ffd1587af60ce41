using System;
using NetGen.Threading;

namespace NetGen.Optimizers;

/// <summary>
/// One optimizer step cut into contiguous slices of the parameter buffer for <see cref="WorkerPool"/>. Slice
/// boundaries fall on 64-byte lines, so two threads never write the same cache line, and slice p is the same range
/// every step, so each core keeps updating the parameters (and the state slots) it already holds in its cache.
/// </summary>
internal sealed unsafe class ParameterSlices(Optimizer optimizer) : IPartitionedJob
{
    /// <summary>Floats per 64-byte cache line.</summary>
    private const int Line = 16;

    private float* _parameters;
    private float* _gradients;
    private int _length;

    public void Run(Span<float> parameters, ReadOnlySpan<float> gradients, int parts)
    {
        // Pinned for the whole call: WorkerPool.Run returns only when every slice is done.
        fixed (float* p = parameters, g = gradients)
        {
            _parameters = p;
            _gradients = g;
            _length = parameters.Length;
            try
            {
                WorkerPool.Run(this, parts);
            }
            finally
            {
                _parameters = null;
                _gradients = null;
            }
        }
    }

    public void RunPart(int part, int parts)
    {
        (int firstLine, int endLine) = WorkerPool.Share((_length + Line - 1) / Line, part, parts);
        int start = firstLine * Line, end = Math.Min(_length, endLine * Line);
        if (start < end)
        {
            optimizer.RunRange(new Span<float>(_parameters + start, end - start), new ReadOnlySpan<float>(_gradients + start, end - start), start);
        }
    }
}
