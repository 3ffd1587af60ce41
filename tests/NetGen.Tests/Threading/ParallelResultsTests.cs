using System;
using System.Linq;
using NetGen.Data;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Tests.Kernels;
using NetGen.Tests.Models;

namespace NetGen.Tests.Threading;

/// <summary>
/// NetGen's promise for threads: the numbers do not depend on how many there are. Split products and sliced optimizer
/// steps must give the same bits as the single-threaded code.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public class ParallelResultsTests
{
    public enum Product { Plain, TransA, TransB }

    public static TheoryData<int, int, int, Product> Shapes => new()
    {
        { 32, 784, 100, Product.Plain },    // a training batch's forward product: split over k
        { 784, 32, 100, Product.TransA },   // its kernel gradient: split by rows
        { 784, 64, 24, Product.TransA },    // a masked 8-column tail in each row band
        { 256, 784, 100, Product.Plain },   // a prediction chunk: split by rows
        { 65, 1000, 17, Product.Plain },    // odd rows, passes of uneven depth, a column tail
        { 9, 2049, 61, Product.Plain },     // 9 passes, 9 rows
        { 100, 513, 31, Product.TransA },
        { 300, 600, 13, Product.TransB },   // TransB splits by rows only
        { 130, 800, 40, Product.Plain },    // just above the rows-not-depth boundary
        { 1027, 512, 100, Product.Plain },  // row groups (Gemm.RowGroup) in each band, the last one 67 rows
        { 1026, 300, 37, Product.TransA },  // row groups with A's strides swapped
        { 1025, 256, 10, Product.Plain },   // row groups over masked columns, one row left after 1 024
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Split_products_are_bit_identical_to_the_single_threaded_product(int m, int k, int n, Product product)
    {
        var random = new Random((m * 31) + (k * 7) + n);
        float[] a = TestData.Uniform(random, m * k), b = TestData.Uniform(random, k * n), start = TestData.Uniform(random, m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] expected = Multiply(1, product, a, b, start, m, k, n, accumulate);
            foreach (int threads in new[] { 2, 3, 4, 8 })
            {
                using (new ThreadScope(threads))
                {
                    Assert.True(Gemm.PlanParallel(m, k, n, product == Product.TransB).Parts > 1, "the shape is big enough to split");
                }

                float[] actual = Multiply(threads, product, a, b, start, m, k, n, accumulate);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{threads} threads, accumulate {accumulate}: results differ from 1 thread");
            }
        }
    }

    [Theory]
    [InlineData(1027, 512, 100)] // row groups; rows past the last 64 and the last 4
    [InlineData(72, 256, 100)]   // masked tail columns: 1 thread has no single rows left, two bands of 36 have 4 each
    [InlineData(65, 256, 10)]    // one thread, the last row alone in masked columns
    public void Zero_times_infinity_is_NaN_in_every_row_of_a_batch_whatever_the_threads(int m, int k, int n)
    {
        // Only a product of fewer than 4 rows skips the steps where A is 0 (exact for finite B); every row of a batch,
        // in a block or left over after the blocks, in whichever band or group, computes 0·∞ = NaN like the reference.
        var random = new Random(m + k + n);
        float[] a = TestData.Uniform(random, m * k), b = TestData.Uniform(random, k * n);
        int p = k / 3;
        for (int j = 0; j < n; j += 7)
        {
            b[(p * n) + j] = float.PositiveInfinity;
        }

        bool Zeroed(int r) => r % 3 == 0 || r == m - 1;
        for (int r = 0; r < m; r++)
        {
            a[(r * k) + p] = Zeroed(r) ? 0f : a[(r * k) + p];
        }

        float[] start = new float[m * n];
        float[] expected = Multiply(1, Product.Plain, a, b, start, m, k, n, accumulate: false);
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < n; j += 7)
            {
                Assert.True(
                    Zeroed(r) ? float.IsNaN(expected[(r * n) + j]) : float.IsPositiveInfinity(expected[(r * n) + j]) || float.IsNegativeInfinity(expected[(r * n) + j]),
                    $"C[{r},{j}] = {expected[(r * n) + j]}");
            }
        }

        foreach (int threads in new[] { 2, 3 })
        {
            float[] actual = Multiply(threads, Product.Plain, a, b, start, m, k, n, accumulate: false);
            Assert.True(
                System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(expected).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(actual)),
                $"{threads} threads give other bits than 1");
        }
    }

    private static float[] Multiply(int threads, Product product, float[] a, float[] b, float[] start, int m, int k, int n, bool accumulate)
    {
        float[] c = (float[])start.Clone();
        using (new ThreadScope(threads))
        {
            switch (product)
            {
                case Product.Plain: Gemm.MatMul(a, b, c, m, k, n, accumulate); break;
                case Product.TransA: Gemm.MatMulTransA(a, b, c, m, k, n, accumulate); break;
                default: Gemm.MatMulTransB(a, b, c, m, k, n, accumulate); break;
            }
        }

        return c;
    }

    [Theory]
    [InlineData(784, 32, 100)]
    [InlineData(32, 784, 100)]
    public void Small_products_and_one_thread_are_not_split(int m, int k, int n)
    {
        using (new ThreadScope(1))
        {
            Assert.Equal(1, Gemm.PlanParallel(m, k, n, false).Parts);
        }

        using (new ThreadScope(2))
        {
            Assert.Equal(1, Gemm.PlanParallel(32, 100, 10, false).Parts); // the output layer: too small to pay

            // The softmax model's products (250 000 multiply-adds, 5 µs): split, its epoch took 79 ms instead of 46.
            Assert.Equal(1, Gemm.PlanParallel(32, 784, 10, false).Parts);
            Assert.Equal(1, Gemm.PlanParallel(784, 32, 10, false).Parts);
            Assert.Equal(2, Gemm.PlanParallel(m, k, n, false).Parts);
        }
    }

    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "adam", "rmsprop", "adagrad" };

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.01f),
        "momentum" => new Sgd(0.01f, momentum: 0.9f, nesterov: true),
        "adam" => new Adam(),
        "rmsprop" => new RmsProp(centered: true, momentum: 0.5f),
        _ => new Adagrad(),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Optimizer_steps_over_a_large_buffer_are_bit_identical_for_any_thread_count(string name)
    {
        const int length = 100_003; // above the slicing threshold, and not a multiple of any vector width
        var random = new Random(5);
        float[] initial = TestData.Uniform(random, length);
        float[][] gradients = Enumerable.Range(0, 4).Select(_ => TestData.Uniform(random, length)).ToArray();

        float[] Train(int threads)
        {
            float[] p = (float[])initial.Clone();
            Optimizer optimizer = Create(name);
            using (new ThreadScope(threads))
            {
                foreach (float[] g in gradients)
                {
                    optimizer.Step(p, g);
                }
            }

            return p;
        }

        float[] single = Train(1);
        Assert.False(single.AsSpan().SequenceEqual(initial), "the steps moved the parameters");
        foreach (int threads in new[] { 2, 3, 8 })
        {
            Assert.True(single.AsSpan().SequenceEqual(Train(threads)), $"{threads} threads differ from 1");
        }
    }

    [Fact]
    public void Training_with_fit_gives_the_same_weights_on_one_thread_and_on_several()
    {
        // Everything at once: the forward product split over k, the kernel gradient split by rows, Adam's update in
        // slices, inside the one training loop.
        var random = new Random(11);
        const int samples = 400;
        float[] x = TestData.Uniform(random, samples * Mlp.InputSize, 0f, 1f);
        float[] y = Enumerable.Range(0, samples).Select(i => (float)(i % 10)).ToArray();
        var data = new Dataset(x, Mlp.InputSize, y, 1);

        float[] Train(int threads)
        {
            using (new ThreadScope(threads))
            {
                var model = new Mlp(seed: 3) { Optimizer = new Adam() };
                model.Fit(data, epochs: 2, batchSize: 32, seed: 4, verbose: 0);
                return model.Parameters.ToArray();
            }
        }

        float[] single = Train(1);
        Assert.True(single.AsSpan().SequenceEqual(Train(2)), "2 threads differ from 1");
        Assert.True(single.AsSpan().SequenceEqual(Train(4)), "4 threads differ from 1");
    }
}
