using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The fused bias + ReLU passes must give exactly the bits of the separate passes they replace (bias, then activation;
/// derivative, then bias gradient), on every tier, for column counts around each register width, including NaN,
/// infinities and signed zeros.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class BiasActivationTests
{
    private static readonly int[] s_columns = [1, 3, 4, 5, 8, 15, 16, 17, 33, 100, 130];
    private static readonly int[] s_rows = [0, 1, 3, 32];
    private const float Alpha = 0.3f;

    [Theory]
    [MemberData(nameof(SimdTierCollection.Tiers), MemberType = typeof(SimdTierCollection))]
    public void Forward_is_the_bits_of_bias_then_activation(SimdTier tier)
    {
        using var scope = new TierScope(tier);
        var random = new Random(21);
        foreach (bool leaky in new[] { false, true })
        {
            foreach (int columns in s_columns)
            {
                foreach (int rows in s_rows)
                {
                    float[] z = Awkward(random, rows * columns), bias = Awkward(random, columns);
                    float[] zSeparate = (float[])z.Clone(), aSeparate = new float[z.Length];
                    Bias.AddToRows(zSeparate, bias, rows);
                    if (leaky)
                    {
                        Activations.LeakyRelu(zSeparate, Alpha, aSeparate);
                    }
                    else
                    {
                        Activations.Relu(zSeparate, aSeparate);
                    }

                    float[] zFused = (float[])z.Clone(), aFused = TestData.Padded(new float[z.Length], 3, 7f);
                    if (leaky)
                    {
                        BiasActivation.AddBiasLeakyRelu(zFused, bias, Alpha, aFused, rows);
                    }
                    else
                    {
                        BiasActivation.AddBiasRelu(zFused, bias, aFused, rows);
                    }

                    Assert.Equal(Bits(zSeparate), Bits(zFused));
                    Assert.Equal(Bits(aSeparate), Bits(aFused[..z.Length]));
                    Assert.All(aFused[z.Length..], v => Assert.Equal(7f, v));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(SimdTierCollection.Tiers), MemberType = typeof(SimdTierCollection))]
    public void Backward_is_the_bits_of_derivative_then_bias_gradient(SimdTier tier)
    {
        using var scope = new TierScope(tier);
        var random = new Random(22);
        foreach (bool leaky in new[] { false, true })
        {
            foreach (int columns in s_columns)
            {
                foreach (int rows in s_rows)
                {
                    float[] z = Awkward(random, rows * columns), da = Awkward(random, rows * columns);
                    float[] dzSeparate = (float[])da.Clone(), dbSeparate = new float[columns];
                    if (leaky)
                    {
                        Activations.LeakyReluBackward(z, dzSeparate, Alpha, dzSeparate);
                    }
                    else
                    {
                        Activations.ReluBackward(z, dzSeparate, dzSeparate);
                    }

                    Bias.Gradient(dzSeparate, dbSeparate, rows);

                    float[] dzFused = (float[])da.Clone(), dbFused = TestData.Padded(Awkward(random, columns), 3, 7f);
                    if (leaky)
                    {
                        BiasActivation.LeakyReluBackward(z, dzFused, Alpha, dbFused.AsSpan(0, columns), rows);
                    }
                    else
                    {
                        BiasActivation.ReluBackward(z, dzFused, dbFused.AsSpan(0, columns), rows);
                    }

                    Assert.Equal(Bits(dzSeparate), Bits(dzFused));
                    Assert.Equal(Bits(dbSeparate), Bits(dbFused[..columns]));
                    Assert.All(dbFused[columns..], v => Assert.Equal(7f, v));
                }
            }
        }
    }

    [Fact]
    public void Short_buffers_and_negative_rows_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => BiasActivation.AddBiasRelu(new float[19], new float[10], new float[20], 2));
        Assert.Throws<ArgumentException>(() => BiasActivation.AddBiasRelu(new float[20], new float[10], new float[19], 2));
        Assert.Throws<ArgumentException>(() => BiasActivation.ReluBackward(new float[20], new float[19], new float[10], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BiasActivation.ReluBackward(new float[20], new float[20], new float[10], -1));
    }

    /// <summary>Random values with NaN, ±∞, ±0 and exact ties to the bias sprinkled in.</summary>
    private static float[] Awkward(Random random, int length)
    {
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-42f, -1e-42f];
        float[] values = TestData.Uniform(random, length, -3, 3);
        for (int i = 0; i < length; i++)
        {
            if (random.Next(6) == 0)
            {
                values[i] = special[random.Next(special.Length)];
            }
        }

        return values;
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
