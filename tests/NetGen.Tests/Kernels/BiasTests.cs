using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Bias broadcast and gradient against <see cref="Reference"/>. AddToRows is one float addition per element, which
/// rounds exactly like the double reference rounded to float, so it must match bit for bit; the gradient sums
/// <c>rows</c> floats per column, so it may differ by rows·u·Σ|dy| (u = 2⁻²⁴).
/// </summary>
public sealed class BiasTests
{
    public static TheoryData<int, int> RowsColumns() => new()
    {
        { 0, 3 }, { 1, 1 }, { 1, 17 }, { 3, 5 }, { 4, 16 }, { 32, 10 }, { 32, 100 }, { 33, 129 }, { 256, 7 },
    };

    [Theory]
    [MemberData(nameof(RowsColumns))]
    public void Gradient_matches_reference(int rows, int columns)
    {
        var random = new Random((rows * 1000) + columns);

        // A longer dy than needed: only rows·columns leading values count.
        float[] dy = TestData.Padded(TestData.Uniform(random, rows * columns, -2, 2), 5, float.NaN);
        float[] actual = TestData.Uniform(random, columns);
        float[] expected = new float[columns];
        Bias.Gradient(dy, actual, rows);
        Reference.BiasGradient(dy, expected, rows);

        float[] magnitude = new float[columns];
        Reference.BiasGradient(Array.ConvertAll(dy, Math.Abs), magnitude, rows);
        for (int j = 0; j < columns; j++)
        {
            double tolerance = (rows + 1) * TestData.FloatEpsilon * magnitude[j];
            double error = Math.Abs((double)actual[j] - expected[j]);
            Assert.True(error <= tolerance, $"rows={rows} columns={columns} db[{j}] = {actual[j]}, expected {expected[j]} (error {error:G3} > {tolerance:G3}).");
        }
    }

    [Fact]
    public void Gradient_of_known_rows()
    {
        float[] gradient = [9, 9];
        Bias.Gradient([1, 2, 3, 4, 5, 6], gradient, rows: 3);
        Assert.Equal([9f, 12f], gradient);
    }

    [Theory]
    [MemberData(nameof(RowsColumns))]
    public void AddToRows_matches_reference(int rows, int columns)
    {
        var random = new Random((rows * 1000) + columns + 1);
        float[] y = TestData.Padded(TestData.Uniform(random, rows * columns, -2, 2), 4, 55f);
        float[] bias = TestData.Uniform(random, columns);
        float[] expected = (float[])y.Clone();
        Bias.AddToRows(y, bias, rows);
        Reference.AddToRows(expected, bias, rows);
        Assert.Equal(expected, y);
    }
}
