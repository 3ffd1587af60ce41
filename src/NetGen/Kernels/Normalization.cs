using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// The Normalization layer's forward pass, y = (x − mean) / max(√variance, ε) per feature, ε = 1e-7 as in Keras, and
/// its statistics, which the generated model's <c>Adapt</c> computes with <see cref="Adapt"/>.
/// </summary>
public static class Normalization
{
    /// <summary>Keras's floor on the standard deviation, so a constant feature maps to 0 instead of NaN.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>Standardizes rows of <c>mean.Length</c> features.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, Span<float> y)
    {
        int features = mean.Length;
        if (variance.Length != features || x.Length % features != 0 || y.Length < x.Length)
        {
            throw new ArgumentException($"Expected rows of {features} features with as many variances and an output as long as the input; received {x.Length} inputs, {variance.Length} variances, {y.Length} outputs.");
        }

        for (int r = 0; r < x.Length; r += features)
        {
            ReadOnlySpan<float> row = x.Slice(r, features);
            Span<float> outRow = y.Slice(r, features);
            TensorPrimitives.Subtract(row, mean, outRow);
            for (int i = 0; i < features; i++)
            {
                outRow[i] /= MathF.Max(MathF.Sqrt(variance[i]), Epsilon);
            }
        }
    }

    /// <summary>
    /// Keras's <c>adapt</c>: the per-feature mean and (population) variance of <paramref name="rows"/> rows of
    /// <c>mean.Length</c> features, in double precision with two passes, and the sample count.
    /// </summary>
    public static void Adapt(ReadOnlySpan<float> x, int rows, Span<float> mean, Span<float> variance, Span<float> count)
    {
        int features = mean.Length;
        if (variance.Length != features || count.Length != 1 || rows <= 0 || x.Length < rows * features)
        {
            throw new ArgumentException($"Expected {rows} rows of {features} features, as many variances and one count; received {x.Length} inputs, {variance.Length} variances, {count.Length} counts.");
        }

        var sum = new double[features];
        var squares = new double[features];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < features; f++)
            {
                sum[f] += x[(r * features) + f];
            }
        }

        for (int f = 0; f < features; f++)
        {
            sum[f] /= rows;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < features; f++)
            {
                double d = x[(r * features) + f] - sum[f];
                squares[f] += d * d;
            }
        }

        for (int f = 0; f < features; f++)
        {
            mean[f] = (float)sum[f];
            variance[f] = (float)(squares[f] / rows);
        }

        count[0] = rows;
    }
}
