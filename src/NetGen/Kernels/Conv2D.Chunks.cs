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

    /// <summary>
    /// Output rows per chunk of a forward pass with a bias-and-activation epilogue: no more than
    /// <see cref="ForwardChunkRows"/>, and few enough that the chunk's z and activation (2·filters floats a row) stay in
    /// L2 with its windows until the epilogue reads them. Only short windows are cut (the first layer's 9 floats a row
    /// against 64 of output); rows are per-row products, so the chunking changes no bits.
    /// </summary>
    internal static int EpilogueChunkRows(in Conv2DGeometry g, int filters) =>
        Math.Min(ForwardChunkRows(in g), Math.Max(8, 2 * ChunkFloats / (g.WindowLength + (2 * filters)) / 8 * 8));

    /// <summary>
    /// Floats of one thread's unrolled windows: the larger of a forward and a backward chunk. (A forward pass's region
    /// also holds a chunk's product after them.)
    /// </summary>
    private static int RegionLength(in Conv2DGeometry g, int batch) =>
        Math.Max(Math.Min(batch, SamplesPerChunk(in g)) * g.OutputPixels, Math.Min(batch * g.OutputPixels, ForwardChunkRows(in g))) * g.WindowLength;

    private static unsafe void RunJob(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, Span<float> output, ReadOnlySpan<float> outputGradient,
        Span<float> kernelGradient, Span<float> inputGradient, Span<float> scratch, in Conv2DGeometry g, int filters, int batch, bool backward,
        in Epilogue epilogue = default, in PooledGradient pooled = default)
    {
        int rows = batch * g.OutputPixels, depth = g.WindowLength;
        bool large = (long)rows * depth * filters >= Gemm.ParallelThreshold;
        int chunks = (batch + SamplesPerChunk(in g) - 1) / SamplesPerChunk(in g);
        int lanes = Math.Min(WeightGradientLanes, chunks);
        // More parts than threads: whichever thread is free claims the next, so a thread held up (by the machine, or by
        // a slower share) does not hold the other one idle at the end.
        bool split = large && Parallelism.MaxThreads > 1;
        int parts = !split ? 1 : backward ? lanes
            : Math.Max(1, Math.Max(Math.Min(Parallelism.MaxThreads, rows / 32), Math.Min(Parallelism.MaxSupported, rows / 512)));
        int region = RegionLength(in g, batch) + (ForwardChunkRows(in g) * filters);
        if (backward && !inputGradient.IsEmpty)
        {
            // Wᵀ [filters × K] once per call, so each chunk's window gradient dZ·Wᵀ is a plain product: the transposed
            // product would transpose panels of W again for every chunk (0.6 ms per batch-32 step of the convnet).
            Transpose(kernel, scratch.Slice((WeightGradientLanes - 1) * depth * filters, depth * filters), depth, filters);
        }

        fixed (float* x = input, w = kernel, z = output, dz = outputGradient, dw = kernelGradient, dx = inputGradient, s = scratch)
        fixed (float* bias = epilogue.Bias, a = epilogue.Activation)
        fixed (float* pz = pooled.Z, dy = pooled.Gradient)
        fixed (int* argmax = pooled.Argmax)
        {
            ChunkedConvolution job = t_job ??= new ChunkedConvolution();
            job.Set(x, w, z, dz, dw, dx, s, g, filters, batch, backward, chunks, lanes, region);
            job.SetEpilogue(bias, a, epilogue.Leaky, epilogue.Alpha);
            job.SetPooledGradient(pz, argmax, dy, pooled.Pool);
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
            // The lanes in lane order: lane 0 summed into dW itself, the others in the scratch.
            int size = depth * filters;
            Span<float> dW = kernelGradient[..size];
            for (int lane = 1; lane < lanes; lane++)
            {
                TensorPrimitives.Add(dW, scratch.Slice((lane - 1) * size, size), dW);
            }

            if (!pooled.BiasGradient.IsEmpty)
            {
                // The bias gradient's lanes likewise.
                Span<float> dB = pooled.BiasGradient[..filters];
                scratch.Slice(BiasLanesAt(depth, filters), filters).CopyTo(dB);
                for (int lane = 1; lane < lanes; lane++)
                {
                    TensorPrimitives.Add(dB, scratch.Slice(BiasLanesAt(depth, filters) + (lane * filters), filters), dB);
                }
            }
        }
    }

    /// <summary>
    /// target[j, i] = source[i, j] for a rows × columns source, in 8 × 8 tiles so that both sides are read and written
    /// a cache line at a time (element by element it took 29 µs of each convnet step; tiled, about a tenth).
    /// </summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> target, int rows, int columns)
    {
        ref float s = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source);
        ref float t = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(target[..(rows * columns)]);
        for (int i0 = 0; i0 < rows; i0 += 8)
        {
            int i1 = Math.Min(rows, i0 + 8);
            for (int j0 = 0; j0 < columns; j0 += 8)
            {
                int j1 = Math.Min(columns, j0 + 8);
                for (int j = j0; j < j1; j++)
                {
                    for (int i = i0; i < i1; i++)
                    {
                        Unsafe.Add(ref t, (j * rows) + i) = Unsafe.Add(ref s, (i * columns) + j);
                    }
                }
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
        private float* _bias;
        private float* _a;
        private bool _leaky;
        private float _alpha;
        private float* _pooledZ;
        private int* _argmax;
        private float* _pooledDy;
        private Conv2DGeometry _pool;

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

        /// <summary>A forward pass with a bias pointer adds the bias and the activation to each chunk of output.</summary>
        public void SetEpilogue(float* bias, float* a, bool leaky, float alpha)
        {
            _bias = bias;
            _a = a;
            (_leaky, _alpha) = (leaky, alpha);
        }

        /// <summary>
        /// A backward pass given a pooling layer's output gradient: each chunk first routes it to dz itself
        /// (<see cref="RouteChunk"/>); null <paramref name="z"/> when dz is given.
        /// </summary>
        public void SetPooledGradient(float* z, int* argmax, float* dy, in Conv2DGeometry pool)
        {
            _pooledZ = z;
            _argmax = argmax;
            _pooledDy = dy;
            _pool = pool;
        }

        /// <summary>Forgets the pointers once the call is over, so nothing can use memory that is no longer pinned.</summary>
        public void Clear()
        {
            _x = _w = _z = _dz = _dw = _dx = _scratch = _bias = _a = _pooledZ = _pooledDy = null;
            _argmax = null;
        }

        /// <summary>
        /// dz for samples [<paramref name="firstSample"/>, + <paramref name="samples"/>): each sample's pooled gradient
        /// routed to its winners (MaxPooling2D.Backward on that sample alone, so a winner in another sample is refused),
        /// then ReLU's derivative in place, with the chunk's bias gradient Σ dz into <paramref name="biasSum"/>.
        /// </summary>
        private void RouteChunk(int firstSample, int samples, float* biasSum)
        {
            int length = _g.OutputPixels * _filters, outputs = _pool.OutputPixels * _pool.Channels;
            nint start = (nint)firstSample * length;
            var dzAll = new Span<float>(_dz, _batch * length);
            var dy = new ReadOnlySpan<float>(_pooledDy, _batch * outputs);
            var argmax = new ReadOnlySpan<int>(_argmax, _batch * outputs);
            for (int b = firstSample; b < firstSample + samples; b++)
            {
                MaxPooling2D.Route(dy, argmax, dzAll, in _pool, b, 1);
            }

            var dz = dzAll.Slice((int)start, samples * length);
            BiasActivation.ReluBackward(new ReadOnlySpan<float>(_pooledZ + start, dz.Length), dz, new Span<float>(biasSum, _filters), samples * _g.OutputPixels);
        }

        public void RunPart(int part, int parts)
        {
            float* region = ConvolutionScratch.Region(_region);
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
            int rows = _batch * _g.OutputPixels, depth = _g.WindowLength;
            bool direct = IsDirect(in _g);
            int chunk = _bias == null && !direct ? ForwardChunkRows(in _g) : EpilogueChunkRows(in _g, _filters);
            (int firstBlock, int endBlock) = WorkerPool.Share((rows + 7) / 8, part, parts);
            int end = Math.Min(rows, endBlock * 8);
            var w = new ReadOnlySpan<float>(_w, depth * _filters);
            for (int row = firstBlock * 8; row < end; row += chunk)
            {
                int count = Math.Min(chunk, end - row);
                if (direct)
                {
                    float* bias = _bias == null ? _w : _bias, a = _a == null ? _z : _a;
                    var epilogue = new DirectEpilogue(ref *bias, ref *a, _bias != null, _leaky, _alpha);
                    DirectRows(ref *_x, ref *_w, ref *_z, in _g, _filters, row, count, in epilogue);
                    continue;
                }

                // The product goes to this thread's region first, and the output is written once from there: written
                // in place, each pass over the depth storing and reloading it, the rows next to the other thread's
                // measured 1.5× slower while both threads ran (batch 1: 18-21 µs a part against 12.9 alone).
                float* product = region + ((nint)Math.Min(chunk, rows) * depth);
                nint at = (nint)row * _filters;
                int length = count * _filters;
                Im2Col(ref *_x, ref *region, in _g, row, count);
                Gemm.MatMulOnThisThread(
                    new ReadOnlySpan<float>(region, count * depth), w, new Span<float>(product, length), count, depth, _filters, accumulate: false);

                if (_bias != null)
                {
                    // While the chunk's output is still in cache: a separate pass reads the whole layer's output back
                    // from memory (2.8 MB for the convnet's first layer at batch 32).
                    BiasActivation.ForwardRows(ref *product, ref *_bias, ref *(_a + at), _filters, count, _leaky, _alpha);
                    if (_z != _a)
                    {
                        new ReadOnlySpan<float>(product, length).CopyTo(new Span<float>(_z + at, length));
                    }
                }
                else
                {
                    new ReadOnlySpan<float>(product, length).CopyTo(new Span<float>(_z + at, length));
                }
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
            float* partial = lane == 0 ? _dw : _scratch + ((nint)(lane - 1) * size);
            var transposed = new ReadOnlySpan<float>(_scratch + ((nint)(WeightGradientLanes - 1) * size), size);
            float* biasLane = _scratch + BiasLanesAt(depth, _filters) + ((nint)lane * _filters);
            float* biasChunk = biasLane + ((nint)WeightGradientLanes * _filters);
            (int firstChunk, int endChunk) = WorkerPool.Share(_chunks, lane, _lanes);
            for (int chunk = firstChunk; chunk < endChunk; chunk++)
            {
                int firstSample = chunk * perChunk, samples = Math.Min(perChunk, _batch - firstSample);
                int row = firstSample * pixels, count = samples * pixels;
                if (_pooledZ != null)
                {
                    // The lane's bias gradient: its chunks' sums added in chunk order.
                    RouteChunk(firstSample, samples, chunk == firstChunk ? biasLane : biasChunk);
                    if (chunk > firstChunk)
                    {
                        TensorPrimitives.Add(new ReadOnlySpan<float>(biasLane, _filters), new ReadOnlySpan<float>(biasChunk, _filters), new Span<float>(biasLane, _filters));
                    }
                }

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
