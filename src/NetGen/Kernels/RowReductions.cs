using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// Softmax and maximum of each short row of a batch (a classifier's 10 logits). TensorPrimitives does one row per
/// call, and at 10 values a call is mostly its own overhead: a batch of 32 took 1.2 µs for the softmax (5 calls a
/// row) and 0.4 µs for the maxima, a tenth of the softmax model's training step. Here, on AVX-512, a row of up to 16
/// values is one masked register, and one call covers the batch.
/// </summary>
/// <remarks>
/// The exponential is <see cref="Vector512.Exp(Vector512{float})"/>, the same function TensorPrimitives.Exp runs (bit
/// for bit, checked on 2 million values), and each row is computed alone, so a sample gives the same bits in a batch
/// as on its own. Without AVX-512 the softmax and the maxima go to TensorPrimitives row by row as before, and
/// ArgMax runs a scalar loop with the same rules.
/// </remarks>
internal static class RowReductions
{
    /// <summary>Floats in the softmax's scratch block (8 KiB on the stack): 128 rows of up to 16 values.</summary>
    private const int ScratchFloats = 2048;

    /// <summary>a[r, :] = softmax(z[r, :]) for each of <paramref name="rows"/> rows of <paramref name="columns"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // the scratch block is written before it is read; zeroing 8 KiB cost a single prediction 0.1 µs
    public static unsafe void Softmax(ReadOnlySpan<float> z, Span<float> a, int columns, int rows)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> zr = z.Slice(r * columns, columns);
                Span<float> ar = a.Slice(r * columns, columns);
                TensorPrimitives.Subtract(zr, TensorPrimitives.Max(zr), ar);
                TensorPrimitives.Exp(ar, ar);
                TensorPrimitives.Divide(ar, TensorPrimitives.Sum(ar), ar);
            }

            return;
        }

        // Three passes over blocks of rows, through a scratch block where each row starts a fresh register:
        //  1. shift each row by its maximum (z − max ≤ 0, so no exponential overflows), padding lanes 0;
        //  2. exponentiate the block as a flat array (the library's Exp is a call, not inlined; one call a row);
        //  3. divide each row by the sum of its own lanes into a.
        // Rows packed back to back would be faster to exponentiate but slower overall: a masked load that overlaps a
        // masked store still in flight waits for it, which chained every row to the one before (0.55 µs a batch).
        int stride = (columns + 15) & ~15, full = columns & ~15;
        int blockRows = Math.Max(1, ScratchFloats / stride);
        int scratchLength = (Math.Min(blockRows, rows) * stride) + 16; // + 16 to align to 64 bytes
        float[]? rented = stride > ScratchFloats ? ArrayPool<float>.Shared.Rent(scratchLength) : null;
        Span<float> scratchSpan = rented ?? stackalloc float[scratchLength];
        Vector512<float> tailMask = Vector512Ops.FirstLanes(columns - full);
        fixed (float* pz = z, pa = a, pscratch = scratchSpan)
        {
            float* scratch = (float*)(((nint)pscratch + 63) & ~(nint)63); // 64-byte aligned: whole-line loads and stores
            for (int first = 0; first < rows; first += blockRows)
            {
                int count = Math.Min(blockRows, rows - first);
                for (int r = 0; r < count; r++)
                {
                    float* zr = pz + ((nint)(first + r) * columns), sr = scratch + ((nint)r * stride);
                    Vector512<float> max = Vector512.Create(RowMax(zr, full, tailMask));
                    for (int j = 0; j < full; j += 16)
                    {
                        Vector512.StoreAligned(Vector512.Load(zr + j) - max, sr + j);
                    }

                    if (full != columns)
                    {
                        // Padding lanes hold 0, not −∞: Exp takes a slower path, with other roundings for every
                        // lane of a register, when any lane is out of its range.
                        Vector512.StoreAligned((Avx512F.MaskLoad(zr + full, tailMask, Vector512<float>.Zero) - max) & tailMask, sr + full);
                    }
                }

                for (nint i = 0, end = (nint)count * stride; i < end; i += 16)
                {
                    Vector512.StoreAligned(Vector512.Exp(Vector512.LoadAligned(scratch + i)), scratch + i);
                }

                for (int r = 0; r < count; r++)
                {
                    float* ar = pa + ((nint)(first + r) * columns), sr = scratch + ((nint)r * stride);
                    Vector512<float> sum = (full != columns ? Vector512.LoadAligned(sr + full) : Vector512<float>.Zero) & tailMask;
                    for (int j = 0; j < full; j += 16)
                    {
                        sum += Vector512.LoadAligned(sr + j);
                    }

                    Vector512<float> total = Vector512.Create(Vector512.Sum(sum));
                    for (int j = 0; j < full; j += 16)
                    {
                        (Vector512.LoadAligned(sr + j) / total).Store(ar + j);
                    }

                    if (full != columns)
                    {
                        Avx512F.MaskStore(ar + full, tailMask, Vector512.LoadAligned(sr + full) / total);
                    }
                }
            }
        }

        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>maxima[r] = the largest value of row r (NaN if the row holds one), for every row of <paramref name="z"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Maxima(ReadOnlySpan<float> z, int columns, Span<float> maxima)
    {
        int rows = z.Length / columns;
        if (!Vector512.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++)
            {
                maxima[r] = TensorPrimitives.Max(z.Slice(r * columns, columns));
            }

            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxima.Length, rows, nameof(maxima));
        int full = columns & ~15;
        Vector512<float> tailMask = Vector512Ops.FirstLanes(columns - full);
        fixed (float* pz = z)
        {
            for (int r = 0; r < rows; r++)
            {
                maxima[r] = RowMax(pz + ((nint)r * columns), full, tailMask);
            }
        }
    }

    /// <summary>
    /// The index of the largest value, with TensorPrimitives.IndexOfMax's rules: the first of equal maxima, +0 above
    /// −0, and the first NaN if there is one; −1 for an empty row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int ArgMax(ReadOnlySpan<float> row)
    {
        int columns = row.Length;
        if (!Vector512.IsHardwareAccelerated || columns == 0)
        {
            return ScalarArgMax(row);
        }

        int full = columns & ~15;
        Vector512<float> tailMask = Vector512Ops.FirstLanes(columns - full);
        fixed (float* p = row)
        {
            float max = RowMax(p, full, tailMask);

            // Matching the maximum's bits tells +0 from −0; a NaN maximum means the row holds a NaN: find the first.
            bool nan = float.IsNaN(max);
            Vector512<int> bits = Vector512.Create(BitConverter.SingleToInt32Bits(max));
            for (int j = 0; j < columns; j += 16)
            {
                Vector512<float> lanes = j < full ? Vector512.Load(p + j) : Avx512F.MaskLoad(p + j, tailMask, Vector512<float>.Zero);
                Vector512<float> hit = nan ? ~Vector512.Equals(lanes, lanes) : Vector512.Equals(lanes.AsInt32(), bits).AsSingle();
                ulong found = (hit & (j < full ? Vector512<float>.AllBitsSet : tailMask)).ExtractMostSignificantBits();
                if (found != 0)
                {
                    return j + BitOperations.TrailingZeroCount(found);
                }
            }
        }

        return ScalarArgMax(row); // not reached: the maximum is one of the values
    }

    private static int ScalarArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return -1;
        }

        int best = 0;
        float max = values[0];
        if (float.IsNaN(max))
        {
            return 0;
        }

        for (int i = 1; i < values.Length; i++)
        {
            float v = values[i];
            if (v > max || (v == max && float.IsNegative(max) && !float.IsNegative(v)))
            {
                best = i;
                max = v;
            }
            else if (float.IsNaN(v))
            {
                return i;
            }
        }

        return best;
    }

    /// <summary>
    /// The maximum of <paramref name="full"/> values plus the masked tail after them. Vector512.Max returns NaN when
    /// either lane is NaN, so a NaN anywhere in the row comes out, as TensorPrimitives.Max's does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float RowMax(float* row, int full, Vector512<float> tailMask)
    {
        Vector512<float> m = Avx512F.MaskLoad(row + full, tailMask, Vector512.Create(float.NegativeInfinity));
        for (int j = 0; j < full; j += 16)
        {
            m = Vector512.Max(m, Vector512.Load(row + j));
        }

        Vector256<float> m8 = Vector256.Max(m.GetLower(), m.GetUpper());
        Vector128<float> m4 = Vector128.Max(m8.GetLower(), m8.GetUpper());
        m4 = Vector128.Max(m4, Vector128.Shuffle(m4, Vector128.Create(2, 3, 0, 1)));
        m4 = Vector128.Max(m4, Vector128.Shuffle(m4, Vector128.Create(1, 0, 3, 2)));
        return m4.ToScalar();
    }
}
