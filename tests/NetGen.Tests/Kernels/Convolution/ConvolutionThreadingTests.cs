using System;
using NetGen.Kernels;
using NetGen.Tests.Threading;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>
/// At the Keras simple convnet's shapes (batch 32 and 1), whose products are large enough to be split over threads,
/// Conv2D gives the same bits on 1, 2 and 3 threads, and no convolution, pooling or normalization kernel allocates
/// once warm.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public sealed class ConvolutionThreadingTests
{
    private static readonly Conv2DGeometry s_conv1 = Conv2DGeometry.Valid(28, 28, 1, 3, 3, 1, 1);
    private static readonly Conv2DGeometry s_conv2 = Conv2DGeometry.Valid(13, 13, 32, 3, 3, 1, 1);

    [Theory]
    [InlineData(1, 32)]
    [InlineData(2, 64)]
    [InlineData(2, 1)]
    public void Conv2D_gives_the_same_bits_on_any_thread_count(int layer, int batch)
    {
        Conv2DGeometry g = layer == 1 ? s_conv1 : s_conv2;
        int filters = layer == 1 ? 32 : 64;
        var random = new Random(layer + batch);
        float[] x = TestData.Uniform(random, batch * g.InputLength), w = TestData.Uniform(random, g.WindowLength * filters);
        float[] dz = TestData.Uniform(random, batch * g.OutputPixels * filters), bias = TestData.Uniform(random, filters);
        float[] scratch = new float[Conv2D.ScratchLength(in g, filters, batch)];
        (float[] Z, float[] Dw, float[] Dx, float[] FusedZ, float[] FusedA)? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var scope = new ThreadScope(threads);
            float[] z = new float[dz.Length], dw = new float[w.Length], dx = new float[x.Length];
            float[] fusedZ = new float[dz.Length], fusedA = new float[dz.Length];
            Conv2D.Forward(x, w, z, scratch, in g, filters, batch);
            Conv2D.Backward(x, w, dz, dw, dx, scratch, in g, filters, batch);
            Conv2D.ForwardBiasLeakyRelu(x, w, bias, 0.1f, fusedZ, fusedA, scratch, in g, filters, batch);
            first ??= (z, dw, dx, fusedZ, fusedA);
            Assert.Equal(first.Value.Z, z);
            Assert.Equal(first.Value.Dw, dw);
            Assert.Equal(first.Value.Dx, dx);
            Assert.Equal(first.Value.FusedZ, fusedZ);
            Assert.Equal(first.Value.FusedA, fusedA);
        }
    }

    [Fact]
    public void A_large_product_of_few_output_rows_is_computed_on_any_thread_count()
    {
        // One image through a deep layer: 5×5 = 25 output rows, 25·576·128 multiply-adds, above the split threshold but
        // under 32 rows. Cut into parts as a split, it once got none: nothing written, nothing thrown.
        Conv2DGeometry g = Conv2DGeometry.Valid(7, 7, 64, 3, 3, 1, 1);
        const int filters = 128;
        var random = new Random(9);
        float[] x = TestData.Uniform(random, g.InputLength), w = TestData.Uniform(random, g.WindowLength * filters), bias = TestData.Uniform(random, filters);
        double[] expected = new double[g.OutputPixels * filters];
        ConvolutionReference.Conv2DForward(ConvolutionCases.ToDouble(x), ConvolutionCases.ToDouble(w), expected, g, filters, 1);
        float[] scratch = new float[Conv2D.ScratchLength(in g, filters, 1)];
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var scope = new ThreadScope(threads);
            float[] z = TestData.Padded([], expected.Length, float.NaN), a = TestData.Padded([], expected.Length, float.NaN);
            Conv2D.ForwardBiasRelu(x, w, bias, z, a, scratch, in g, filters, 1);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(z[i] - (expected[i] + bias[i % filters])) < 1e-3, $"{threads} threads: z[{i}] = {z[i]}, expected {expected[i] + bias[i % filters]}");
                Assert.Equal(Math.Max(z[i], 0f), a[i]);
            }
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(7)]
    public void Max_pooling_shared_between_threads_gives_the_same_outputs_and_winners(int batch)
    {
        Conv2DGeometry pool = Conv2DGeometry.Valid(26, 26, 32, 2, 2, 2, 2);
        float[] x = TestData.Uniform(new Random(batch), batch * pool.InputLength);
        (float[] Y, int[] Argmax)? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var scope = new ThreadScope(threads);
            float[] y = new float[batch * pool.OutputPixels * 32];
            int[] argmax = new int[y.Length];
            MaxPooling2D.Forward(x, y, argmax, in pool, batch);
            first ??= (y, argmax);
            Assert.Equal(first.Value.Y, y);
            Assert.Equal(first.Value.Argmax, argmax);
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(3)]
    public void The_fused_ReLU_and_pooling_backward_gives_the_same_bits_on_any_thread_count(int batch)
    {
        Conv2DGeometry pool = Conv2DGeometry.Valid(11, 11, 64, 2, 2, 2, 2);
        var random = new Random(batch + 50);
        float[] x = TestData.Uniform(random, batch * s_conv2.InputLength), w = TestData.Uniform(random, 288 * 64);
        float[] z = TestData.Uniform(random, batch * s_conv2.OutputPixels * 64), dy = TestData.Uniform(random, batch * pool.OutputPixels * 64);
        int[] argmax = new int[dy.Length];
        MaxPooling2D.Forward(z, new float[dy.Length], argmax, in pool, batch);
        float[] scratch = new float[Conv2D.ScratchLength(in s_conv2, 64, batch)];
        (float[] Dz, float[] Dw, float[] Db, float[] Dx)? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var scope = new ThreadScope(threads);
            float[] dz = new float[z.Length], dw = new float[w.Length], db = new float[64], dx = new float[x.Length];
            Conv2D.BackwardReluMaxPool(x, w, z, argmax, dy, dz, dw, db, dx, scratch, in s_conv2, in pool, 64, batch);
            first ??= (dz, dw, db, dx);
            Assert.Equal(first.Value.Dz, dz);
            Assert.Equal(first.Value.Dw, dw);
            Assert.Equal(first.Value.Db, db);
            Assert.Equal(first.Value.Dx, dx);
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(5)]
    [InlineData(1)]
    public void The_fused_first_layer_and_pooling_give_the_same_bits_on_any_thread_count(int batch)
    {
        Conv2DGeometry pool = Conv2DGeometry.Valid(26, 26, 32, 2, 2, 2, 2);
        var random = new Random(batch + 40);
        float[] x = TestData.Uniform(random, batch * s_conv1.InputLength), w = TestData.Uniform(random, 9 * 32);
        float[] bias = TestData.Uniform(random, 32), dy = TestData.Uniform(random, batch * pool.OutputPixels * 32);
        float[] scratch = new float[Conv2D.MaxPooledScratchLength(in s_conv1, 32)];
        (float[] Pooled, float[] Winners, float[] Dw, float[] Db)? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var scope = new ThreadScope(threads);
            float[] pooled = new float[dy.Length], winners = new float[dy.Length], dw = new float[w.Length], db = new float[32];
            Conv2D.ForwardBiasReluMaxPool(x, w, bias, pooled, winners, in s_conv1, in pool, 32, batch);
            Conv2D.BackwardBiasReluMaxPool(x, pooled, winners, dy, dw, db, scratch, in s_conv1, in pool, 32, batch);
            first ??= (pooled, winners, dw, db);
            Assert.Equal(first.Value.Pooled, pooled);
            Assert.Equal(first.Value.Winners, winners);
            Assert.Equal(first.Value.Dw, dw);
            Assert.Equal(first.Value.Db, db);
        }
    }

    [Fact]
    public void The_kernels_allocate_nothing_once_warm()
    {
        using var scope = new ThreadScope(2);
        const int batch = 32;
        Conv2DGeometry pool = Conv2DGeometry.Valid(26, 26, 32, 2, 2, 2, 2);
        var random = new Random(5);
        float[] x1 = TestData.Uniform(random, batch * s_conv1.InputLength), w1 = TestData.Uniform(random, 9 * 32);
        float[] z1 = new float[batch * s_conv1.OutputPixels * 32], dw1 = new float[w1.Length];
        float[] x2 = TestData.Uniform(random, batch * s_conv2.InputLength), w2 = TestData.Uniform(random, 288 * 64);
        float[] z2 = new float[batch * s_conv2.OutputPixels * 64], dw2 = new float[w2.Length], dx2 = new float[x2.Length];
        float[] scratch = new float[Math.Max(Conv2D.ScratchLength(in s_conv1, 32, batch), Conv2D.ScratchLength(in s_conv2, 64, batch))];
        float[] pooled = new float[batch * pool.OutputPixels * 32], poolDx = new float[z1.Length];
        int[] argmax = new int[pooled.Length];
        float[] winners = new float[pooled.Length];
        Conv2DGeometry pool2 = Conv2DGeometry.Valid(11, 11, 64, 2, 2, 2, 2);
        float[] pooled2 = new float[batch * pool2.OutputPixels * 64];
        int[] argmax2 = new int[pooled2.Length];
        float[] gamma = TestData.Uniform(random, 64), beta = new float[64], mm = new float[64], mv = new float[64], mean = new float[64], s = new float[64];
        float[] y2 = new float[z2.Length], dgamma = new float[64], dbeta = new float[64], bnDx = new float[z2.Length], gap = new float[batch * 64];
        int rows2 = batch * s_conv2.OutputPixels;

        MaxPooling2D.Forward(z2, pooled2, argmax2, in pool2, batch);
        long bytes = AllocationProbe.SteadyStateBytes(
            () =>
            {
                Conv2D.Forward(x1, w1, z1, scratch, in s_conv1, 32, batch);
                Conv2D.ForwardBiasRelu(x1, w1, gamma.AsSpan(0, 32), z1, z1, scratch, in s_conv1, 32, batch);
                Conv2D.ForwardBiasLeakyRelu(x2, w2, gamma, 0.2f, z2, y2, scratch, in s_conv2, 64, batch);
                Conv2D.Backward(x1, w1, z1, dw1, Span<float>.Empty, scratch, in s_conv1, 32, batch);
                Conv2D.Forward(x2, w2, z2, scratch, in s_conv2, 64, batch);
                Conv2D.Backward(x2, w2, z2, dw2, dx2, scratch, in s_conv2, 64, batch);
                MaxPooling2D.Forward(z1, pooled, argmax, in pool, batch);
                MaxPooling2D.Backward(pooled, argmax, poolDx, in pool, batch);
                AveragePooling2D.Forward(z1, pooled, in pool, batch);
                AveragePooling2D.Backward(pooled, poolDx, in pool, batch);
                GlobalAveragePooling2D.Forward(z2, gap, s_conv2.OutputPixels, 64, batch);
                GlobalAveragePooling2D.Backward(gap, z2, s_conv2.OutputPixels, 64, batch);
                BatchNormalization.ForwardTraining(z2, gamma, beta, mm, mv, 0.99f, 1e-3f, y2, mean, s, rows2, 64);
                BatchNormalization.ForwardInference(z2, gamma, beta, mm, mv, 1e-3f, y2, rows2, 64);
                BatchNormalization.Backward(z2, gamma, mean, s, y2, dgamma, dbeta, bnDx, rows2, 64);
                Conv2D.ForwardBiasReluMaxPool(x1, w1, gamma.AsSpan(0, 32), pooled, winners, in s_conv1, in pool, 32, batch);
                Conv2D.BackwardBiasReluMaxPool(x1, pooled, winners, pooled, dw1, dbeta.AsSpan(0, 32), scratch, in s_conv1, in pool, 32, batch);
                Conv2D.BackwardReluMaxPool(x2, w2, z2, argmax2, pooled2, y2, dw2, dbeta, dx2, scratch, in s_conv2, in pool2, 64, batch);
            },
            callsPerWindow: 4, windows: 3, warmUpCalls: 3);
        Assert.Equal(0, bytes);
    }
}
