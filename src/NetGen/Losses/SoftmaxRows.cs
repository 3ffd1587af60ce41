using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;

namespace NetGen.Losses;

/// <summary>
/// exp(z − max z) for a block of softmax rows at once, and the sparse loss's gradient of a row, for the fused softmax
/// cross-entropy losses. Row by row, a classifier's 10 logits took a scalar double exp each, twice (640 calls per batch
/// of 32); on AVX-512 each row is now one or two registers of doubles, with the exponential TensorPrimitives.Exp runs.
/// </summary>
/// <remarks>
/// The exponentials are in double: the losses sum their terms in double, and a loss near 0 (a confident, correct
/// prediction) is log Σ exp(z − max), about the sum's own error, so single-precision exponentials would cost it four
/// digits. The softmax activation (float) runs in <see cref="RowReductions.Softmax"/>.
/// </remarks>
internal static class SoftmaxRows
{
    /// <summary>Values per block: a whole batch of 32 for up to 32 classes, in 8 KiB of stack.</summary>
    public const int BlockValues = 1024;

    /// <summary>Rows of <paramref name="classes"/> values per block (at least one).</summary>
    public static int RowsPerBlock(int classes) => Math.Max(1, BlockValues / classes);

    /// <summary>What a fused softmax loss does with one row once its exp(z − max) are known.</summary>
    internal interface IRowLoss
    {
        /// <summary>
        /// Adds row <paramref name="row"/>'s loss terms to <paramref name="sum"/> and writes the row's gradient, if the
        /// loss writes one. <paramref name="exps"/> is exp(<paramref name="z"/> − <paramref name="max"/>) in double. The
        /// gradient may alias the logits, so every z of the row must be read before the row's gradient is written.
        /// </summary>
        void Add(int row, scoped ReadOnlySpan<float> z, float max, scoped ReadOnlySpan<double> exps, ref double sum);
    }

    /// <summary>
    /// Runs <paramref name="loss"/> over the <paramref name="batch"/> rows of <paramref name="logits"/> in order, a
    /// block of rows at a time: the block's maxima (<see cref="RowReductions.Maxima"/>) and exp(z − max)
    /// (<see cref="ShiftedExp"/>) first, in stack buffers unless a single row needs more than a block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // maxima and exponentials are written before they are read
    public static double SumRows<TLoss>(ReadOnlySpan<float> logits, int batch, int classes, scoped ref TLoss loss)
        where TLoss : struct, IRowLoss, allows ref struct
    {
        double sum = 0;
        int perBlock = RowsPerBlock(classes);
        Span<float> maxima = stackalloc float[perBlock];
        int blockLength = Math.Min(perBlock, batch) * classes;
        double[]? rented = blockLength > BlockValues ? ArrayPool<double>.Shared.Rent(blockLength) : null;
        Span<double> exps = rented ?? stackalloc double[blockLength];
        for (int first = 0; first < batch; first += perBlock)
        {
            int count = Math.Min(perBlock, batch - first);
            ReadOnlySpan<float> zb = logits.Slice(first * classes, count * classes);
            RowReductions.Maxima(zb, classes, maxima);
            ShiftedExp(zb, classes, maxima, exps);
            for (int r = 0; r < count; r++)
            {
                loss.Add(first + r, zb.Slice(r * classes, classes), maxima[r], exps.Slice(r * classes, classes), ref sum);
            }
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return sum;
    }

    /// <summary>Σ values in order (the exponentials of a softmax row).</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        double total = 0;
        foreach (double v in values)
        {
            total += v;
        }

        return total;
    }

    /// <summary>
    /// Row r of <paramref name="destination"/> = exp(row r of <paramref name="z"/> − maxima[r]), in double: the losses
    /// sum their terms in double, and a loss near 0 (a confident, correct prediction) is log Σ exp(z − max), about the
    /// sum's own error, so single-precision exponentials would cost it about four digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ShiftedExp(ReadOnlySpan<float> z, int classes, ReadOnlySpan<float> maxima, Span<double> destination)
    {
        int rows = z.Length / classes;
        if (!Vector512.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++)
            {
                double max = maxima[r];
                for (int i = r * classes, end = i + classes; i < end; i++)
                {
                    destination[i] = z[i] - max;
                }
            }

            TensorPrimitives.Exp(destination[..z.Length], destination);
            return;
        }

        // Row by row, 16 values a step, widened to double before the subtraction (the scalar loop's operation);
        // Vector512.Exp is the function TensorPrimitives.Exp runs on each register, and it inlines here. A scalar
        // shift loop before one TensorPrimitives call took 0.5 µs of the loss's 1.3 for a batch of 32. The bits are
        // those of the old block-wide call except where a register held a value below about −708 (Exp's slow path
        // rounds a whole register differently): now a row's registers hold only its own values, so its bits no
        // longer depend on the rows beside it.
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, rows * classes, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxima.Length, rows, nameof(maxima));
        fixed (float* pz = z)
        fixed (double* pd = destination)
        {
            for (int r = 0; r < rows; r++)
            {
                float* zr = pz + ((nint)r * classes);
                double* dr = pd + ((nint)r * classes);
                Vector512<double> max = Vector512.Create((double)maxima[r]);
                for (int i = 0; i < classes; i += 16)
                {
                    Vector512<float> mask = Vector512Ops.FirstLanes(classes - i);
                    Vector512<float> values = Avx512F.MaskLoad(zr + i, mask, Vector512<float>.Zero);
                    Vector512<double> lowMask = Avx512F.ConvertToVector512Int64(mask.GetLower().AsInt32()).AsDouble();
                    Vector512<double> highMask = Avx512F.ConvertToVector512Int64(mask.GetUpper().AsInt32()).AsDouble();

                    // Lanes past the row hold 0 (not 0 − max): Exp takes a slower path, rounding every lane of the
                    // register differently, when any lane is below about −708.
                    Vector512<double> low = Vector512.Exp((Avx512F.ConvertToVector512Double(values.GetLower()) - max) & lowMask);
                    Vector512<double> high = Vector512.Exp((Avx512F.ConvertToVector512Double(values.GetUpper()) - max) & highMask);
                    Avx512F.MaskStore(dr + i, lowMask, low);
                    Avx512F.MaskStore(dr + i + 8, highMask, high);
                }
            }
        }
    }

    /// <summary>
    /// g[i] = (p_i − [i = label])·scale with p_i = e[i]·inverse, rounded to float: the fused softmax and sparse
    /// cross-entropy's gradient for one row. On AVX-512, 16 classes at a time, with the same operations per element as
    /// the scalar loop, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void LabelGradient(ReadOnlySpan<double> e, double inverse, int label, double scale, Span<float> g)
    {
        int classes = g.Length;
        if (!Vector512.IsHardwareAccelerated)
        {
            for (int i = 0; i < classes; i++)
            {
                double p = e[i] * inverse;
                g[i] = (float)((i == label ? p - 1.0 : p) * scale);
            }

            return;
        }

        Vector512<double> inv = Vector512.Create(inverse), s = Vector512.Create(scale);
        fixed (double* pe = e)
        fixed (float* pg = g)
        {
            for (int i = 0; i < classes; i += 16)
            {
                // Lanes past the row are masked off on load and store, so nothing beyond either span is touched.
                Vector512<float> mask = Vector512Ops.FirstLanes(classes - i);
                Vector512<int> isLabel = Vector512.Equals(Vector512<int>.Indices, Vector512.Create(label - i));
                Vector256<float> low = Half(pe + i, mask.GetLower().AsInt32(), isLabel.GetLower(), inv, s);
                Vector256<float> high = Half(pe + i + 8, mask.GetUpper().AsInt32(), isLabel.GetUpper(), inv, s);
                Avx512F.MaskStore(pg + i, mask, Vector512.Create(low, high));
            }
        }
    }

    /// <summary>Eight classes of <see cref="LabelGradient"/>: the lanes of <paramref name="mask"/> are read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Half(double* e, Vector256<int> mask, Vector256<int> isLabel, Vector512<double> inverse, Vector512<double> scale)
    {
        Vector512<double> p = Avx512F.MaskLoad(e, Avx512F.ConvertToVector512Int64(mask).AsDouble(), Vector512<double>.Zero) * inverse;
        p = Vector512.ConditionalSelect(Avx512F.ConvertToVector512Int64(isLabel).AsDouble(), p - Vector512<double>.One, p);
        return Avx512F.ConvertToVector256Single(p * scale);
    }
}
