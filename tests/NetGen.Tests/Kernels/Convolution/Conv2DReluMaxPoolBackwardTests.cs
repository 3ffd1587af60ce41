using System;
using System.Linq;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// <see cref="Conv2D.BackwardReluMaxPool"/>, the backward pass of a Conv2D with ReLU under a max pooling layer, on
/// every SIMD tier: dz is bit for bit the calls it replaces (<see cref="MaxPooling2D.Backward"/> then
/// <see cref="BiasActivation.ReluBackward"/>), dW and dx bit for bit <see cref="Conv2D.Backward"/> of that dz, the bias
/// gradient within the sum bound of its double sum, and every tier the same bits.
/// </summary>
[Collection(SimdTierCollection.Name)]
public sealed class Conv2DReluMaxPoolBackwardTests
{
    /// <summary>
    /// Keras's second layer (batch 6: several chunks and lanes), a padded strided window under an overlapping pooling,
    /// a padded pooling, a 1×1 window (the plain product), and batch 1.
    /// </summary>
    public static readonly (Conv2DGeometry Conv, Conv2DGeometry Pool, int Filters, int Batch)[] Pairs =
    [
        (Conv2DGeometry.Valid(13, 13, 32, 3, 3, 1, 1), Conv2DGeometry.Valid(11, 11, 64, 2, 2, 2, 2), 64, 6),
        (Conv2DGeometry.Same(9, 8, 3, 3, 3, 2, 2), Conv2DGeometry.Valid(5, 4, 5, 2, 2, 1, 1), 5, 3),
        (Conv2DGeometry.Valid(7, 7, 4, 2, 2, 1, 1), Conv2DGeometry.Same(6, 6, 17, 3, 3, 2, 2), 17, 2),
        (Conv2DGeometry.Valid(6, 6, 5, 1, 1, 1, 1), Conv2DGeometry.Valid(6, 6, 33, 2, 2, 2, 2), 33, 2),
        (Conv2DGeometry.Valid(13, 13, 32, 3, 3, 1, 1), Conv2DGeometry.Valid(11, 11, 64, 2, 2, 2, 2), 64, 1),
    ];

    public static TheoryData<int> Cases => [.. Enumerable.Range(0, Pairs.Length)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_separate_calls_and_the_reference_on_every_tier(int index)
    {
        (Conv2DGeometry g, Conv2DGeometry pool, int filters, int batch) = Pairs[index];
        var random = new Random(index + 71);
        float[] x = TestData.Uniform(random, batch * g.InputLength), w = TestData.Uniform(random, g.WindowLength * filters);
        float[] z = TestData.Uniform(random, batch * g.OutputPixels * filters);
        float[] dy = TestData.Uniform(random, batch * pool.OutputPixels * filters);
        int[] argmax = new int[dy.Length];
        MaxPooling2D.Forward(z, new float[dy.Length], argmax, in pool, batch);

        // The reference bias gradient: Σ over rows of dz, in double.
        float[] dz = new float[z.Length], db = new float[filters];
        MaxPooling2D.Backward(dy, argmax, dz, in pool, batch);
        BiasActivation.ReluBackward(z, dz, db, batch * g.OutputPixels);
        double[] dbExpected = new double[filters], dbMagnitude = new double[filters];
        for (int i = 0; i < dz.Length; i++)
        {
            dbExpected[i % filters] += dz[i];
            dbMagnitude[i % filters] += Math.Abs(dz[i]);
        }

        (float[] Dz, float[] Dw, float[] Db, float[] Dx)? first = null;
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            using var scope = new TierScope(tier);
            float[] scratch = TestData.Padded([], Conv2D.ScratchLength(in g, filters, batch), float.NaN);
            float[] separateDw = new float[w.Length], separateDx = new float[x.Length];
            Conv2D.Backward(x, w, dz, separateDw, separateDx, scratch, in g, filters, batch);

            float[] fusedDz = TestData.Padded([], z.Length, float.NaN), dw = new float[w.Length], bias = new float[filters], dx = new float[x.Length];
            Conv2D.BackwardReluMaxPool(x, w, z, argmax, dy, fusedDz, dw, bias, dx, scratch, in g, in pool, filters, batch);
            Assert.Equal(dz, fusedDz);
            Assert.Equal(separateDw, dw);
            Assert.Equal(separateDx, dx);
            ConvolutionCases.AssertWithinSumBound(bias, dbExpected, dbMagnitude, batch * g.OutputPixels, $"{tier} case {index} db");
            first ??= (fusedDz, dw, bias, dx);
            Assert.Equal(first.Value.Db, bias);
            Assert.Equal(first.Value.Dx, dx);
        }
    }

    [Fact]
    public void A_winner_outside_its_sample_and_a_pooling_of_another_shape_are_refused()
    {
        Conv2DGeometry g = Conv2DGeometry.Valid(6, 6, 2, 3, 3, 1, 1), pool = Conv2DGeometry.Valid(4, 4, 3, 2, 2, 2, 2);
        const int batch = 2, filters = 3;
        float[] x = new float[batch * g.InputLength], w = new float[g.WindowLength * filters], z = new float[batch * g.OutputPixels * filters];
        float[] dy = new float[batch * pool.OutputPixels * filters], dz = new float[z.Length], dw = new float[w.Length];
        float[] scratch = new float[Conv2D.ScratchLength(in g, filters, batch)];
        int[] argmax = new int[dy.Length];
        argmax[0] = z.Length - 1; // sample 0's first output pointing into sample 1
        ArgumentException outside = Assert.Throws<ArgumentException>(() =>
            Conv2D.BackwardReluMaxPool(x, w, z, argmax, dy, dz, dw, new float[filters], default, scratch, in g, in pool, filters, batch));
        Assert.Equal("argmax", outside.ParamName);

        ArgumentException shape = Assert.Throws<ArgumentException>(() => Conv2D.BackwardReluMaxPool(
            x, w, z, new int[dy.Length], dy, dz, dw, new float[filters], default, scratch, in g, Conv2DGeometry.Valid(4, 4, 2, 2, 2, 2, 2), filters, batch));
        Assert.Equal("pool", shape.ParamName);
        Assert.Contains("outputs 4×4×3", shape.Message, StringComparison.Ordinal);
    }
}
