using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>The Normalization layer's forward pass: y = (x − mean) / max(√variance, ε) per feature, ε = 1e-7 as in Keras.</summary>
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
}
