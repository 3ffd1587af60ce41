using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The activations that run on TensorPrimitives (Relu, Sigmoid, Tanh, Softmax) against <see cref="Reference"/>.
/// </summary>
/// <remarks>
/// Tolerances: ReLU is exact. TensorPrimitives evaluates exp with vector polynomials good to a few ulp, so sigmoid
/// may differ from the double reference by 4 ulp of the result (or 2⁻²⁶ absolute for tiny results), and each softmax
/// output, a quotient of such exps over a row sum, by 8 ulp or 2⁻²⁸. TensorPrimitives' tanh is accurate in absolute
/// rather than relative terms near 0 (measured: up to 7·10⁻⁸ off for |z| &lt; 0.1, thousands of ulp of a tiny result),
/// so tanh is allowed 4 ulp or 2⁻²² ≈ 2.4·10⁻⁷ absolute, whichever is larger.
/// </remarks>
public sealed class ActivationForwardTests
{
    private static readonly int[] s_lengths = [0, 1, 3, 4, 7, 8, 15, 16, 17, 33, 100, 1000];

    [Fact]
    public void Relu_is_exact()
    {
        var random = new Random(1);
        foreach (int length in s_lengths)
        {
            float[] z = TestData.Uniform(random, length, -3, 3);
            float[] actual = new float[length], expected = new float[length];
            Activations.Relu(z, actual);
            Reference.Relu(z, expected);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Sigmoid_matches_reference() =>
        CheckUnary("Sigmoid", (z, a) => Activations.Sigmoid(z, a), (z, a) => Reference.Sigmoid(z, a), low: -12, high: 12, ulps: 4, absolute: 1.0 / (1 << 26));

    [Fact]
    public void Tanh_matches_reference() =>
        CheckUnary("Tanh", (z, a) => Activations.Tanh(z, a), (z, a) => Reference.Tanh(z, a), low: -6, high: 6, ulps: 4, absolute: 1.0 / (1 << 22));

    [Fact]
    public void Softmax_matches_reference_row_by_row()
    {
        var random = new Random(4);
        foreach ((int rows, int columns) in new[] { (1, 1), (1, 10), (3, 7), (32, 10), (4, 100) })
        {
            // Large logits too: the max subtraction must keep exp from overflowing.
            float[] z = TestData.Uniform(random, rows * columns, -30, 30);
            z[0] = 200f;
            float[] actual = new float[z.Length], expected = new float[z.Length];
            Activations.Softmax(z, actual, columns);
            Reference.Softmax(z, expected, columns);
            AssertClose(z, actual, expected, ulps: 8, absolute: 1.0 / (1 << 28), "Softmax");
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int j = 0; j < columns; j++)
                {
                    sum += actual[(r * columns) + j];
                }

                Assert.InRange(sum, 1 - 1e-5, 1 + 1e-5);
            }
        }
    }

    private static void CheckUnary(
        string name, Action<float[], float[]> kernel, Action<float[], float[]> reference, float low, float high, int ulps, double absolute)
    {
        var random = new Random(3);
        foreach (int length in s_lengths)
        {
            float[] z = TestData.Uniform(random, length, low, high);
            float[] actual = new float[length], expected = new float[length];
            kernel(z, actual);
            reference(z, expected);
            AssertClose(z, actual, expected, ulps, absolute, name);
        }
    }

    private static void AssertClose(float[] z, float[] actual, float[] expected, int ulps, double absolute, string name)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = Math.Max(ulps * TestData.FloatEpsilon * 2 * Math.Abs(expected[i]), absolute);
            double error = Math.Abs((double)actual[i] - expected[i]);
            Assert.True(error <= tolerance, $"{name}({z[i]}) = {actual[i]}, expected {expected[i]} (error {error:G3} > {tolerance:G3}).");
        }
    }
}
