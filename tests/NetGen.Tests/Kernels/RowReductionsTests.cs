using System;
using System.Numerics.Tensors;
using NetGen.Kernels;
using NetGen.Losses;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The short-row kernels behind the softmax activation, the softmax losses and accuracy: against a reference or the
/// TensorPrimitives calls they replaced, at row lengths around the 16-lane register and batch sizes past the softmax's
/// scratch block (128 rows of up to 16 values), with sentinels after every output to catch a masked store that writes
/// past the row.
/// </summary>
public sealed class RowReductionsTests
{
    private static readonly int[] s_columns = [1, 2, 3, 7, 10, 15, 16, 17, 31, 32, 33, 100, 130];
    private static readonly int[] s_rows = [1, 3, 32, 129, 300];

    [Fact]
    public void Softmax_matches_the_reference_and_writes_only_its_rows()
    {
        var random = new Random(11);
        foreach (int columns in s_columns)
        {
            foreach (int rows in s_rows)
            {
                float[] z = TestData.Uniform(random, rows * columns, -30, 30);
                float[] actual = TestData.Padded(new float[z.Length], 17, 7f);
                double[] expected = new double[columns];
                RowReductions.Softmax(z, actual, columns, rows);
                for (int r = 0; r < rows; r++)
                {
                    ReferenceSoftmax(z.AsSpan(r * columns, columns), expected);
                    for (int j = 0; j < columns; j++)
                    {
                        double error = Math.Abs(actual[(r * columns) + j] - expected[j]);
                        Assert.True(error <= Math.Max(8 * 2 * TestData.FloatEpsilon * expected[j], 1.0 / (1 << 28)),
                            $"{rows}x{columns}, row {r}, column {j}: {actual[(r * columns) + j]} against {expected[j]}");
                    }
                }

                Assert.All(actual[z.Length..], v => Assert.Equal(7f, v));
            }
        }
    }

    [Fact]
    public void Softmax_gives_a_row_the_same_bits_alone_in_a_batch_and_in_place()
    {
        var random = new Random(12);
        foreach (int columns in s_columns)
        {
            const int rows = 150;
            float[] z = TestData.Uniform(random, rows * columns, -10, 10);
            float[] batch = new float[z.Length];
            RowReductions.Softmax(z, batch, columns, rows);

            float[] inPlace = (float[])z.Clone();
            RowReductions.Softmax(inPlace, inPlace, columns, rows);
            Assert.Equal(batch, inPlace);

            foreach (int r in new[] { 0, 1, 127, 128, rows - 1 })
            {
                float[] alone = new float[columns];
                RowReductions.Softmax(z.AsSpan(r * columns, columns), alone, columns, 1);
                Assert.Equal(batch.AsSpan(r * columns, columns).ToArray(), alone);
            }
        }
    }

    [Fact]
    public void Softmax_spreads_a_NaN_or_infinity_over_its_own_row_only()
    {
        foreach (int columns in new[] { 10, 16, 33 })
        {
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity })
            {
                float[] z = TestData.Uniform(new Random(13), 3 * columns, -5, 5);
                z[columns + (columns / 2)] = bad;
                float[] a = new float[z.Length];
                RowReductions.Softmax(z, a, columns, 3);
                Assert.All(a[columns..(2 * columns)], v => Assert.True(float.IsNaN(v), $"{bad} in row 1 of {columns} gave {v}"));
                Assert.All(a[..columns], v => Assert.True(float.IsFinite(v)));
                Assert.All(a[(2 * columns)..], v => Assert.True(float.IsFinite(v)));
            }
        }
    }

    [Theory]
    [InlineData(2032)]
    [InlineData(2047)]
    [InlineData(2048)] // the widest row the stack scratch holds
    [InlineData(2049)] // rows from here on go through a rented array
    [InlineData(3000)]
    public void Softmax_of_long_rows_matches_the_reference(int columns)
    {
        float[] z = TestData.Uniform(new Random(columns), 3 * columns, -20, 20);
        float[] actual = TestData.Padded(new float[z.Length], 5, 7f);
        double[] expected = new double[columns];
        RowReductions.Softmax(z, actual, columns, 3);
        for (int r = 0; r < 3; r++)
        {
            ReferenceSoftmax(z.AsSpan(r * columns, columns), expected);
            for (int j = 0; j < columns; j++)
            {
                Assert.True(Math.Abs(actual[(r * columns) + j] - expected[j]) <= Math.Max(16 * TestData.FloatEpsilon * expected[j], 1.0 / (1 << 30)),
                    $"row {r}, column {j}: {actual[(r * columns) + j]} against {expected[j]}");
            }
        }

        Assert.All(actual[z.Length..], v => Assert.Equal(7f, v));
    }

    [Fact]
    public void Softmax_gives_minus_infinity_probability_zero()
    {
        float[] z = [1f, float.NegativeInfinity, 2f, float.NegativeInfinity, 0f, 3f, -1f, float.NegativeInfinity, 0.5f, 1.5f];
        float[] a = new float[10];
        double[] expected = new double[10];
        RowReductions.Softmax(z, a, 10, 1);
        ReferenceSoftmax(z, expected);
        Assert.Equal([0f, 0f, 0f], new[] { a[1], a[3], a[7] });
        Assert.Equal(expected[5], a[5], 6);
    }

    [Fact]
    public void Rows_keep_their_bits_next_to_extreme_neighbours()
    {
        // Exp takes a slower path, with other roundings for a whole register, when a lane is far out of range. A
        // row's registers hold only that row, so its exponentials and probabilities do not depend on the rows beside
        // it (the losses' earlier block-wide TensorPrimitives call did: its registers crossed rows).
        var random = new Random(18);
        foreach (int columns in new[] { 3, 10, 16, 20 })
        {
            float[] row = TestData.Uniform(random, columns, -20, 20);
            float[] large = TestData.Uniform(random, columns, 980, 1020);
            float[] batch = [.. row, .. TestData.Uniform(random, columns, -5, 5), .. large];
            batch[columns + 1] = -750f;

            foreach (float[] single in new[] { row, large })
            {
                int at = single == row ? 0 : 2 * columns;
                float[] alone = new float[columns], inBatch = new float[batch.Length];
                RowReductions.Softmax(single, alone, columns, 1);
                RowReductions.Softmax(batch, inBatch, columns, 3);
                Assert.Equal(alone, inBatch[at..(at + columns)]);

                float[] maxima = new float[3];
                RowReductions.Maxima(batch, columns, maxima);
                double[] expAlone = new double[columns], expInBatch = new double[batch.Length];
                SoftmaxRows.ShiftedExp(single, columns, [maxima[at / columns]], expAlone);
                SoftmaxRows.ShiftedExp(batch, columns, maxima, expInBatch);
                Assert.Equal(expAlone, expInBatch[at..(at + columns)]);
            }
        }
    }

    [Fact]
    public void Softmax_rejects_a_short_destination_and_a_row_length_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softmax(new float[4], new float[4], 0));
        Assert.Throws<ArgumentException>(() => Activations.Softmax(new float[20], new float[19], 10));
    }

    [Fact]
    public void Maxima_match_TensorPrimitives_including_NaN()
    {
        var random = new Random(14);
        foreach (int columns in s_columns)
        {
            float[] z = TestData.Uniform(random, 40 * columns, -100, 100);
            z[(7 * columns) + (columns - 1)] = float.NaN;
            float[] maxima = TestData.Padded(new float[40], 3, 7f);
            RowReductions.Maxima(z, columns, maxima);
            for (int r = 0; r < 40; r++)
            {
                float expected = TensorPrimitives.Max(z.AsSpan(r * columns, columns));
                Assert.True(expected.Equals(maxima[r]), $"row {r} of {columns}: {maxima[r]} against {expected}");
            }

            Assert.True(float.IsNaN(maxima[7]));
            Assert.All(maxima[40..], v => Assert.Equal(7f, v));
        }
    }

    [Fact]
    public void ArgMax_follows_TensorPrimitives_IndexOfMax_on_ties_signed_zeros_and_NaN()
    {
        var random = new Random(15);
        float[] pool = [-0f, 0f, 1f, -1f, 2f, 2f, float.NegativeInfinity, float.PositiveInfinity];
        for (int length = 1; length <= 40; length++)
        {
            for (int trial = 0; trial < 300; trial++)
            {
                // Few distinct values, so ties and ±0 against each other are common; a NaN in one trial in ten.
                float[] row = new float[length];
                for (int i = 0; i < length; i++)
                {
                    row[i] = pool[random.Next(trial % 2 == 0 ? 4 : pool.Length)];
                }

                if (trial % 10 == 3)
                {
                    row[random.Next(length)] = float.NaN;
                }

                Assert.True(TensorPrimitives.IndexOfMax<float>(row) == RowReductions.ArgMax(row), $"[{string.Join(", ", row)}]");
            }
        }

        Assert.Equal(-1, RowReductions.ArgMax([]));
    }

    [Fact]
    public void Shifted_exponentials_are_the_bits_of_the_double_shift_and_TensorPrimitives_Exp()
    {
        var random = new Random(16);
        foreach (int classes in s_columns)
        {
            const int rows = 33;
            float[] z = TestData.Uniform(random, rows * classes, -40, 40);
            float[] maxima = new float[rows];
            RowReductions.Maxima(z, classes, maxima);
            double[] actual = new double[(rows * classes) + 9];
            actual.AsSpan(rows * classes).Fill(7.0);
            SoftmaxRows.ShiftedExp(z, classes, maxima, actual);

            double[] expected = new double[rows * classes];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = z[i] - (double)maxima[i / classes];
            }

            TensorPrimitives.Exp(expected, expected);
            Assert.Equal(expected, actual[..expected.Length]);
            Assert.All(actual[expected.Length..], v => Assert.Equal(7.0, v));
        }
    }

    [Fact]
    public void Shifted_exponentials_of_large_logits_are_the_bits_of_TensorPrimitives_over_the_row_alone()
    {
        // Logits near 1000: lanes past the row must not hold 0 − max (about −1000), which would send the register
        // down Exp's out-of-range path and round the row's own lanes differently.
        var random = new Random(19);
        foreach (int classes in new[] { 3, 10, 17 })
        {
            for (int trial = 0; trial < 2000; trial++)
            {
                float[] z = TestData.Uniform(random, classes, 980, 1020);
                float[] maxima = new float[1];
                RowReductions.Maxima(z, classes, maxima);
                double[] actual = new double[classes], expected = new double[classes];
                SoftmaxRows.ShiftedExp(z, classes, maxima, actual);
                for (int i = 0; i < classes; i++)
                {
                    expected[i] = z[i] - (double)maxima[0];
                }

                TensorPrimitives.Exp(expected, expected);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Label_gradient_is_the_bits_of_the_scalar_formula()
    {
        var random = new Random(17);
        foreach (int classes in s_columns)
        {
            double[] e = new double[classes];
            for (int i = 0; i < classes; i++)
            {
                e[i] = random.NextDouble();
            }

            double inverse = 1.0 / 3.7, scale = 1.0 / 32;
            for (int label = 0; label < classes; label++)
            {
                float[] actual = TestData.Padded(new float[classes], 17, 7f);
                SoftmaxRows.LabelGradient(e, inverse, label, scale, actual.AsSpan(0, classes));
                for (int i = 0; i < classes; i++)
                {
                    double p = e[i] * inverse;
                    Assert.Equal((float)((i == label ? p - 1.0 : p) * scale), actual[i]);
                }

                Assert.All(actual[classes..], v => Assert.Equal(7f, v));
            }
        }
    }

    private static void ReferenceSoftmax(ReadOnlySpan<float> z, double[] result)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float v in z)
        {
            max = Math.Max(max, v);
        }

        for (int j = 0; j < z.Length; j++)
        {
            result[j] = Math.Exp(z[j] - max);
            sum += result[j];
        }

        for (int j = 0; j < z.Length; j++)
        {
            result[j] /= sum;
        }
    }
}
