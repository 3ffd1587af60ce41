using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Every activation's backward kernel against central finite differences of the activation, computed in double:
/// dz_j ≈ Σ_i da_i · (f_i(z + h·e_j) − f_i(z − h·e_j)) / 2h.
/// </summary>
/// <remarks>
/// With h = 10⁻⁴ in double the difference quotient is within about h²·|f'''| ≈ 10⁻⁸ of the derivative. The kernels
/// work in float from a float forward output, so the tolerance is 10⁻⁵·|da| + 10⁻⁵·|dz| (10⁻⁵ is about 100 float
/// ulps): loose enough for float rounding, far tighter than any wrong formula (a missing (1 − a) factor or a wrong
/// branch changes dz by tens of percent). ReLU-family inputs stay at least 0.05 from the kink at 0.
/// </remarks>
public sealed class ActivationGradientTests
{
    private const double Step = 1e-4;
    private const float Alpha = 0.2f;
    private const int Length = 203;

    [Fact]
    public void ReluBackward_matches_finite_differences()
    {
        var random = new Random(21);
        float[] z = TestData.AwayFromZero(random, Length, 0.05f, 3f);
        float[] da = TestData.Uniform(random, Length, -2, 2);
        float[] dz = new float[Length];
        Activations.ReluBackward(z, da, dz);
        AssertElementwise(z, da, dz, x => Math.Max(x, 0), "ReluBackward");
    }

    [Fact]
    public void LeakyReluBackward_matches_finite_differences()
    {
        var random = new Random(22);
        float[] z = TestData.AwayFromZero(random, Length, 0.05f, 3f);
        float[] da = TestData.Uniform(random, Length, -2, 2);
        float[] dz = new float[Length];
        Activations.LeakyReluBackward(z, da, Alpha, dz);
        AssertElementwise(z, da, dz, x => x > 0 ? x : Alpha * x, "LeakyReluBackward");
    }

    [Fact]
    public void SigmoidBackward_matches_finite_differences()
    {
        var random = new Random(23);
        float[] z = TestData.Uniform(random, Length, -6, 6);
        float[] da = TestData.Uniform(random, Length, -2, 2);
        float[] a = new float[Length], dz = new float[Length];
        Activations.Sigmoid(z, a);
        Activations.SigmoidBackward(a, da, dz);
        AssertElementwise(z, da, dz, Reference.SigmoidOf, "SigmoidBackward");
    }

    [Fact]
    public void TanhBackward_matches_finite_differences()
    {
        var random = new Random(24);
        float[] z = TestData.Uniform(random, Length, -3, 3);
        float[] da = TestData.Uniform(random, Length, -2, 2);
        float[] a = new float[Length], dz = new float[Length];
        Activations.Tanh(z, a);
        Activations.TanhBackward(a, da, dz);
        AssertElementwise(z, da, dz, Math.Tanh, "TanhBackward");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 10)]
    [InlineData(3, 7)]
    [InlineData(4, 33)]
    public void SoftmaxBackward_matches_finite_differences_of_the_full_jacobian(int rows, int columns)
    {
        var random = new Random(25 + columns);
        float[] z = TestData.Uniform(random, rows * columns, -4, 4);
        float[] da = TestData.Uniform(random, rows * columns, -2, 2);
        float[] a = new float[z.Length], dz = new float[z.Length];
        Activations.Softmax(z, a, columns);
        Activations.SoftmaxBackward(a, da, dz, columns);

        for (int r = 0; r < rows; r++)
        {
            double[] row = new double[columns];
            for (int j = 0; j < columns; j++)
            {
                row[j] = z[(r * columns) + j];
            }

            for (int j = 0; j < columns; j++)
            {
                // L(z) = Σ_i da_i·softmax(z)_i; dz_j = ∂L/∂z_j.
                double saved = row[j];
                row[j] = saved + Step;
                double up = WeightedSoftmax(row, da, r * columns);
                row[j] = saved - Step;
                double down = WeightedSoftmax(row, da, r * columns);
                row[j] = saved;
                AssertGradient((up - down) / (2 * Step), dz[(r * columns) + j], da[(r * columns) + j], $"SoftmaxBackward row {r} column {j}");
            }
        }
    }

    private static double WeightedSoftmax(double[] row, float[] da, int offset)
    {
        double max = double.NegativeInfinity;
        foreach (double v in row)
        {
            max = Math.Max(max, v);
        }

        double sum = 0, weighted = 0;
        for (int j = 0; j < row.Length; j++)
        {
            double e = Math.Exp(row[j] - max);
            sum += e;
            weighted += da[offset + j] * e;
        }

        return weighted / sum;
    }

    private static void AssertElementwise(float[] z, float[] da, float[] dz, Func<double, double> f, string name)
    {
        for (int i = 0; i < z.Length; i++)
        {
            double derivative = (f(z[i] + Step) - f(z[i] - Step)) / (2 * Step);
            AssertGradient(da[i] * derivative, dz[i], da[i], $"{name} at z={z[i]}");
        }
    }

    private static void AssertGradient(double expected, float actual, float da, string what)
    {
        double tolerance = (1e-5 * Math.Abs(da)) + (1e-5 * Math.Abs(expected));
        double error = Math.Abs(actual - expected);
        Assert.True(error <= tolerance, $"{what}: dz = {actual}, finite differences give {expected} (error {error:G3} > {tolerance:G3}).");
    }
}
