using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NetGen.Threading;

namespace NetGen.Kernels;

// How a convolution is cut into chunks of unrolled windows and shared between threads (see the remarks on Conv2D).
public static partial class Conv2D
{
    [ThreadStatic]
    private static ChunkedConvolution? t_job;

    /// <summary>Whole samples per backward chunk: as many as fit <see cref="ChunkFloats"/>, at least one.</summary>
    internal static int SamplesPerChunk(in Conv2DGeometry g) => Math.Max(1, ChunkFloats / (g.OutputPixels * g.WindowLength));

    /// <summary>Output rows per forward chunk: as many as fit <see cref="ChunkFloats"/>, in whole 8-row blocks.</summary>
    internal static int ForwardChunkRows(in Conv2DGeometry g) => Math.Max(8, ChunkFloats / g.WindowLength / 8 * 8);

    /// <summary>Floats of one thread's region of the scratch: the larger of a forward and a backward chunk.</summary>
    private static int RegionLength(in Conv2DGeometry g, int batch) =>
        Math.Max(Math.Min(batch, SamplesPerChunk(in g)) * g.OutputPixels, Math.Min(batch * g.OutputPixels, ForwardChunkRows(in g))) * g.WindowLength;

    private static unsafe void RunJob(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, Span<float> output, ReadOnlySpan<float> outputGradient,
        Span<float> kernelGradient, Span<float> inputGradient, Span<float> scratch, in Conv2DGeometry g, int filters, int batch, bool backward)
    {
        int rows = batch * g.OutputPixels, depth = g.WindowLength;
        bool large = (long)rows * depth * filters >= Gemm.ParallelThreshold;
        int chunks = (batch + SamplesPerChunk(in g) - 1) / SamplesPerChunk(in g);
        int lanes = Math.Min(WeightGradientLanes, chunks);
        int parts = !large ? 1 : backward ? Math.Min(Parallelism.MaxThreads, lanes) : Math.Min(Parallelism.MaxThreads, Math.Max(1, rows / 32));
        int region = RegionLength(in g, batch);
        if (backward && !inputGradient.IsEmpty)
        {
            // Wᵀ [filters × K] once per call, so each chunk's window gradient dZ·Wᵀ is a plain product: the transposed
            // product would transpose panels of W again for every chunk (0.6 ms per batch-32 step of the convnet).
            Transpose(kernel, scratch.Slice((Parallelism.MaxSupported * region) + ((WeightGradientLanes - 1) * depth * filters), depth * filters), depth, filters);
        }

        fixed (float* x = input, w = kernel, z = output, dz = outputGradient, dw = kernelGradient, dx = inputGradient, s = scratch)
        {
            ChunkedConvolution job = t_job ??= new ChunkedConvolution();
            job.Set(x, w, z, dz, dw, dx, s, g, filters, batch, backward, chunks, lanes, region);
            try
            {
                WorkerPool.Run(job, parts);
            }
            finally
            {
                job.Clear();
            }
        }

        if (backward)
        {
            // The lanes in lane order: lane 0 summed into dW itself, the others in the scratch after the regions.
            int size = depth * filters;
            Span<float> dW = kernelGradient[..size];
            for (int lane = 1; lane < lanes; lane++)
            {
                TensorPrimitives.Add(dW, scratch.Slice((Parallelism.MaxSupported * region) + ((lane - 1) * size), size), dW);
            }
        }
    }

    /// <summary>target[j, i] = source[i, j] for a rows × columns source.</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> target, int rows, int columns)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                target[(j * rows) + i] = source[(i * columns) + j];
            }
        }
    }

    /// <summary>One call's chunks, shared between threads; one per calling thread, reused.</summary>
    private sealed unsafe class ChunkedConvolution : IPartitionedJob
    {
        private float* _x;
        private float* _w;
        private float* _z;
        private float* _dz;
        private float* _dw;
        private float* _dx;
        private float* _scratch;
        private Conv2DGeometry _g;
        private int _filters;
        private int _batch;
        private bool _backward;
        private int _chunks;
        private int _lanes;
        private int _region;

        public void Set(
            float* x, float* w, float* z, float* dz, float* dw, float* dx, float* scratch, in Conv2DGeometry g, int filters,
            int batch, bool backward, int chunks, int lanes, int region)
        {
            _x = x;
            _w = w;
            _z = z;
            _dz = dz;
            _dw = dw;
            _dx = dx;
            _scratch = scratch;
            (_g, _filters, _batch, _backward, _chunks, _lanes, _region) = (g, filters, batch, backward, chunks, lanes, region);
        }

        /// <summary>Forgets the pointers once the call is over, so nothing can use memory that is no longer pinned.</summary>
        public void Clear()
        {
            _x = _w = _z = _dz = _dw = _dx = _scratch = null;
        }

        public void RunPart(int part, int parts)
        {
            float* region = _scratch + ((nint)part * _region);
            if (_backward)
            {
                (int firstLane, int endLane) = WorkerPool.Share(_lanes, part, parts);
                for (int lane = firstLane; lane < endLane; lane++)
                {
                    RunLane(lane, region);
                }
            }
            else
            {
                RunRows(part, parts, region);
            }
        }

        /// <summary>Forward: this part's rows (whole 8-row blocks), a chunk at a time.</summary>
        private void RunRows(int part, int parts, float* region)
        {
            int rows = _batch * _g.OutputPixels, depth = _g.WindowLength, chunk = ForwardChunkRows(in _g);
            (int firstBlock, int endBlock) = WorkerPool.Share((rows + 7) / 8, part, parts);
            int end = Math.Min(rows, endBlock * 8);
            var w = new ReadOnlySpan<float>(_w, depth * _filters);
            for (int row = firstBlock * 8; row < end; row += chunk)
            {
                int count = Math.Min(chunk, end - row);
                Im2Col(ref *_x, ref *region, in _g, row, count);
                Gemm.MatMulOnThisThread(
                    new ReadOnlySpan<float>(region, count * depth), w, new Span<float>(_z + ((nint)row * _filters), count * _filters),
                    count, depth, _filters, accumulate: false);
            }
        }

        /// <summary>
        /// Backward: the chunks of lane <paramref name="lane"/> (a fixed share of the chunks), each unrolled once for
        /// its kernel-gradient product (summed into the lane's partial) and, when dx is wanted, overwritten with the
        /// windows' gradient and added back onto its own samples.
        /// </summary>
        private void RunLane(int lane, float* region)
        {
            int depth = _g.WindowLength, pixels = _g.OutputPixels, perChunk = SamplesPerChunk(in _g), size = depth * _filters;
            float* partial = lane == 0 ? _dw : _scratch + ((nint)Parallelism.MaxSupported * _region) + ((nint)(lane - 1) * size);
            var transposed = new ReadOnlySpan<float>(_scratch + ((nint)Parallelism.MaxSupported * _region) + ((nint)(WeightGradientLanes - 1) * size), size);
            (int firstChunk, int endChunk) = WorkerPool.Share(_chunks, lane, _lanes);
            for (int chunk = firstChunk; chunk < endChunk; chunk++)
            {
                int firstSample = chunk * perChunk, samples = Math.Min(perChunk, _batch - firstSample);
                int row = firstSample * pixels, count = samples * pixels;
                var dz = new ReadOnlySpan<float>(_dz + ((nint)row * _filters), count * _filters);
                Im2Col(ref *_x, ref *region, in _g, row, count);
                Gemm.MatMulTransAOnThisThread(
                    new ReadOnlySpan<float>(region, count * depth), dz, new Span<float>(partial, size), depth, count, _filters,
                    accumulate: chunk > firstChunk);
                if (_dx != null)
                {
                    Gemm.MatMulOnThisThread(dz, transposed, new Span<float>(region, count * depth), count, _filters, depth, accumulate: false);
                    Col2Im(ref *region, ref *_dx, in _g, firstSample, samples);
                }
            }
        }
    }
}
