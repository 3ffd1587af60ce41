using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NetGen.Threading;

namespace NetGen.Kernels;

// Large products are split over the threads Parallelism allows, in one of two ways, both bit-identical to the
// single-threaded product (each element of C gets the same pass partials, each summed over its steps of k by the
// same FMAs, added to C in the same order):
//
// - By rows of C, in bands of whole 4-row blocks: for products with many rows (a kernel gradient dW has one row per
//   input, a prediction chunk one per sample). Each thread reads all of B.
// - By passes over k, for products with few rows and a deep k (a training batch's forward product X·W): thread q
//   computes the partial products of its passes, thread 0 directly into C and the others into scratch, and the
//   caller adds the scratch partials to C in pass order, exactly as the single-threaded loop adds each pass.
//
// Why not rows for the forward product too: in training, the optimizer then writes W on every core, and a row split
// of X·W would make each core read every row of W, moving W between the cores' caches every step (measured: the
// step got slower, not faster). Split over k, thread q reads only the rows of W that the kernel gradient's row split
// (rows of dW = rows of W) and the optimizer's slice q (Optimizer.UpdateInSlices) give to thread q as well, so W,
// its gradient and the optimizer's state each stay in one core's cache.
public static partial class Gemm
{
    /// <summary>
    /// Products below this many multiply-adds (about 11 µs on one AVX-512 core at full width) stay on one thread. Handing a part to a
    /// spinning helper costs about a microsecond, but inside a training step the real price is the data: the other
    /// core must fetch its share of the operands, and the next pass (bias, loss, optimizer) fetches the results back.
    /// Measured on the softmax model, whose two products have 250 000 multiply-adds each: split, its epoch took 79 ms;
    /// on one thread, 46 ms. The MLP's 2.5 M multiply-add products still gain (about 10 % of its epoch).
    /// </summary>
    internal const long ParallelThreshold = 1 << 20;

    /// <summary>A row band gets at least this many rows, so each keeps full 4-row micro-kernel blocks.</summary>
    internal const int MinRowsPerPart = 8;

    /// <summary>Products with fewer rows than this are split over k when k has at least two passes.</summary>
    internal const int DepthSplitMaxRows = 128;

    [ThreadStatic]
    private static ParallelProduct? t_product;

    /// <summary>
    /// How a product would be split: into <c>Parts</c> (1: not split) by passes over k or by rows. Tiny products never
    /// get here (<see cref="TinyProduct"/>); the TransB product is only split by rows, since its panels of B are
    /// transposed per pass.
    /// </summary>
    internal static (int Parts, bool ByDepth) PlanParallel(int m, int k, int n, bool bTransposed)
    {
        if (Parallelism.MaxThreads < 2 || (long)m * k * n < ParallelThreshold)
        {
            return (1, false);
        }

        int passes = PassCount(k);
        if (m < DepthSplitMaxRows && passes >= 2 && !bTransposed)
        {
            return (Math.Min(Parallelism.MaxThreads, passes), true);
        }

        return (Math.Max(1, Math.Min(Parallelism.MaxThreads, m / MinRowsPerPart)), false);
    }

    private static unsafe bool TryMultiplyInParallel(scoped in Operands o, bool accumulate)
    {
        (int parts, bool byDepth) = PlanParallel(o.M, o.K, o.N, o.BTransposed);
        if (parts < 2)
        {
            return false;
        }


        // Pinned for the whole call: WorkerPool.Run returns only when every part is done.
        fixed (float* a = &o.A, b = &o.B, c = &o.C)
        {
            ParallelProduct job = t_product ??= new ParallelProduct();
            job.Set(a, o.ARowStride, o.ADepthStride, b, o.BTransposed, c, o.M, o.K, o.N, accumulate, byDepth, PassDepth(o.K), PassCount(o.K), parts);
            try
            {
                WorkerPool.Run(job, parts);
                if (byDepth)
                {
                    job.AddPartialsToC();
                }
            }
            finally
            {
                job.Clear();
            }
        }

        return true;
    }

    /// <summary>One product cut into row bands or into runs of passes over k; one per calling thread, reused.</summary>
    private sealed unsafe class ParallelProduct : IPartitionedJob
    {
        private float* _a;
        private float* _b;
        private float* _c;
        private nint _aRowStride;
        private nint _aDepthStride;
        private bool _bTransposed;
        private int _m;
        private int _k;
        private int _n;
        private bool _accumulate;
        private bool _byDepth;
        private int _passDepth;
        private int _passes;
        private int _parts;

        /// <summary>One m×n partial per pass, for the passes threads other than the caller compute (grown once, reused).</summary>
        private float[] _partials = [];

        public void Set(
            float* a, nint aRowStride, nint aDepthStride, float* b, bool bTransposed, float* c, int m, int k, int n,
            bool accumulate, bool byDepth, int passDepth, int passes, int parts)
        {
            _a = a;
            _aRowStride = aRowStride;
            _aDepthStride = aDepthStride;
            _b = b;
            _bTransposed = bTransposed;
            _c = c;
            _m = m;
            _k = k;
            _n = n;
            _accumulate = accumulate;
            _byDepth = byDepth;
            _passDepth = passDepth;
            _passes = passes;
            _parts = parts;
            if (byDepth && _partials.Length < passes * m * n)
            {
                _partials = new float[passes * m * n];
            }
        }

        /// <summary>Forgets the pointers once the call is over, so nothing can use memory that is no longer pinned.</summary>
        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
        }

        public void RunPart(int part, int parts)
        {
            if (_byDepth)
            {
                RunPasses(part, parts);
            }
            else
            {
                RunRows(part, parts);
            }
        }

        /// <summary>Rows of C in a band of whole 4-row blocks (the last band takes the leftover rows).</summary>
        private void RunRows(int part, int parts)
        {
            (int firstBlock, int endBlock) = WorkerPool.Share((_m + BlockRows - 1) / BlockRows, part, parts);
            int first = firstBlock * BlockRows, end = Math.Min(_m, endBlock * BlockRows);
            if (first >= end)
            {
                return;
            }

            Span<float> pack = _bTransposed ? stackalloc float[TransposedPanelLength(_k, _n)] : default;
            var band = new Operands(
                ref Unsafe.AsRef<float>(_a + (first * _aRowStride)), _aRowStride, _aDepthStride,
                ref Unsafe.AsRef<float>(_b), _bTransposed,
                ref Unsafe.AsRef<float>(_c + ((nint)first * _n)), end - first, _k, _n, pack);
            MultiplyBlocked(in band, _accumulate, _passDepth);
        }

        /// <summary>
        /// Passes [first, end) over k: part 0 adds them into C itself, as the single-threaded loop would; the other
        /// parts leave each pass's partial in its own scratch block for <see cref="AddPartialsToC"/>.
        /// </summary>
        private void RunPasses(int part, int parts)
        {
            (int first, int end) = WorkerPool.Share(_passes, part, parts);
            if (part == 0)
            {
                int depth = Math.Min(_k, end * _passDepth);
                var head = new Operands(
                    ref Unsafe.AsRef<float>(_a), _aRowStride, _aDepthStride, ref Unsafe.AsRef<float>(_b), bTransposed: false,
                    ref Unsafe.AsRef<float>(_c), _m, depth, _n, pack: default);
                MultiplyBlocked(in head, _accumulate, _passDepth);
                return;
            }

            for (int pass = first; pass < end; pass++)
            {
                int p0 = pass * _passDepth, depth = Math.Min(_passDepth, _k - p0);
                var one = new Operands(
                    ref Unsafe.AsRef<float>(_a + (p0 * _aDepthStride)), _aRowStride, _aDepthStride,
                    ref Unsafe.AsRef<float>(_b + ((nint)p0 * _n)), bTransposed: false,
                    ref _partials[pass * _m * _n], _m, depth, _n, pack: default);
                MultiplyBlocked(in one, accumulate: false, _passDepth);
            }
        }

        /// <summary>C += the partial of each pass part 0 did not compute, in pass order.</summary>
        public void AddPartialsToC()
        {
            int size = _m * _n, firstOther = WorkerPool.Share(_passes, 0, _parts).End; // part 0 added its own passes
            var c = new Span<float>(_c, size);
            for (int pass = firstOther; pass < _passes; pass++)
            {
                TensorPrimitives.Add(c, _partials.AsSpan(pass * size, size), c);
            }
        }
    }
}
