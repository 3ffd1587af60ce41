using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Losses;

/// <summary>
/// exp(z − max z) for a block of softmax rows at once, for the fused softmax cross-entropy losses. Row by row, a
/// classifier's 10 logits took a scalar double exp each, twice (640 calls per batch of 32, a tenth of the softmax
/// model's step); one TensorPrimitives call over a block of rows runs full vectors.
/// </summary>
/// <remarks>
/// The softmax activation stays row by row: TensorPrimitives' exponential of a short row can round differently from
/// the same values inside a longer span, and a prediction of one sample must give the bits the same sample gets in a
/// batch.
/// </remarks>
internal static class SoftmaxRows
{
    /// <summary>Values per block: a whole batch of 32 for up to 32 classes, in 8 KiB of stack.</summary>
    public const int BlockValues = 1024;

    /// <summary>Rows of <paramref name="classes"/> values per block (at least one).</summary>
    public static int RowsPerBlock(int classes) => Math.Max(1, BlockValues / classes);

    /// <summary>maxima[r] = the largest value of row r of <paramref name="z"/>, for every row of the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Maxima(ReadOnlySpan<float> z, int classes, Span<float> maxima)
    {
        int rows = z.Length / classes;
        for (int r = 0; r < rows; r++)
        {
            maxima[r] = TensorPrimitives.Max(z.Slice(r * classes, classes));
        }
    }

    /// <summary>
    /// Row r of <paramref name="destination"/> = exp(row r of <paramref name="z"/> − maxima[r]), in double: the losses
    /// sum their terms in double, and a loss near 0 (a confident, correct prediction) is log Σ exp(z − max), about the
    /// sum's own error, so single-precision exponentials would cost it about four digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ShiftedExp(ReadOnlySpan<float> z, int classes, ReadOnlySpan<float> maxima, Span<double> destination)
    {
        int rows = z.Length / classes;
        for (int r = 0; r < rows; r++)
        {
            double max = maxima[r];
            for (int i = r * classes, end = i + classes; i < end; i++)
            {
                destination[i] = z[i] - max;
            }
        }

        TensorPrimitives.Exp(destination[..z.Length], destination);
    }
}
