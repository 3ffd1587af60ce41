using System;
using System.Collections.Generic;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The three GEMMs against <see cref="Reference"/> (double accumulation) on every tier.
/// </summary>
/// <remarks>
/// Tolerance: each element of C is a float sum of k products, folded into C once per pass of
/// <see cref="Gemm.DepthBlock"/>. Recursive summation with n roundings errs by at most about n·u·Σ|terms| (u = 2⁻²⁴),
/// so an element may differ from the exact value by (k + passes + 1)·u·(Σ_p |a_ip·b_pj| + |c_ij|); the tests allow
/// twice that. Any real bug (a term dropped, doubled or misindexed) moves an element by about one term, Σ/k, which
/// is more than ten times larger for every k tested (784 is the largest).
/// </remarks>
[Collection(SimdTierCollection.Name)]
public sealed class GemmTests
{
    public enum Product
    {
        MatMul,
        TransA,
        TransB,
    }

    /// <summary>Sizes around every vector width (4, 8, 16), strip width (8, 16, 32) and block of 4 rows.</summary>
    private static readonly int[] s_sizes = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 129];

    /// <summary>Batch sizes: the ones models use (1, 4, 32) and every remainder of the 4-row block.</summary>
    private static readonly int[] s_batches = [1, 2, 3, 4, 5, 6, 7, 8, 9, 32, 33];

    public static TheoryData<SimdTier, Product, bool> TierProductAccumulate()
    {
        var data = new TheoryData<SimdTier, Product, bool>();
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            foreach (Product product in Enum.GetValues<Product>())
            {
                data.Add(tier, product, false);
                data.Add(tier, product, true);
            }
        }

        return data;
    }

    public static TheoryData<Product> Products => new() { Product.MatMul, Product.TransA, Product.TransB };

    /// <summary>
    /// Every (k, n) pair of <see cref="s_sizes"/> with a batch size rotating through <see cref="s_batches"/>, every
    /// size as m with rotating k and n, the shapes of a 784-100-10 MLP, and depths that need several passes.
    /// </summary>
    private static IEnumerable<(int M, int K, int N)> Shapes()
    {
        for (int ki = 0; ki < s_sizes.Length; ki++)
        {
            for (int ni = 0; ni < s_sizes.Length; ni++)
            {
                yield return (s_batches[((ki * 5) + (ni * 3)) % s_batches.Length], s_sizes[ki], s_sizes[ni]);
            }
        }

        for (int mi = 0; mi < s_sizes.Length; mi++)
        {
            yield return (s_sizes[mi], s_sizes[(mi * 7) % s_sizes.Length], s_sizes[(mi * 11) % s_sizes.Length]);
        }

        yield return (32, 784, 100);
        yield return (32, 100, 10);
        yield return (32, 10, 100);
        yield return (1, 784, 100);
        yield return (5, 255, 17);
        yield return (6, 256, 33);
        yield return (7, 257, 40);
        yield return (3, 600, 9);
        yield return (3, 600, 100); // lone rows: every pass in one kernel call, then the masked tail per pass
        yield return (2, 513, 52);
    }

    [Theory]
    [MemberData(nameof(TierProductAccumulate))]
    public void Matches_reference_over_shapes(SimdTier tier, Product product, bool accumulate)
    {
        using var scope = new TierScope(tier);
        Assert.Equal(Simd.Resolve(tier), Simd.EffectiveTier);
        var random = new Random(((int)tier * 100) + ((int)product * 10) + (accumulate ? 1 : 0));
        foreach ((int m, int k, int n) in Shapes())
        {
            CheckAgainstReference(random, product, m, k, n, accumulate);
        }
    }

    [Theory]
    [InlineData(512, 100)] // 6 registers of 16 and a 4-column tail carried beside them
    [InlineData(512, 52)]  // at 8 wide: 6 registers and a carried tail
    [InlineData(512, 37)]
    [InlineData(300, 1)]   // 1×300×1 is a tiny product (a plain loop), its row in a batch is not: both sum in passes
    [InlineData(257, 1)]
    public void A_lone_row_gives_the_same_bits_as_the_same_row_in_a_batch(int k, int n)
    {
        // Single-sample prediction takes the lone-row kernels (or the tiny loop), a batch the 4-row ones (here in
        // groups of Gemm.RowGroup rows): the outputs must not differ.
        var random = new Random(k + n);
        const int m = 300;
        float[] a = TestData.Uniform(random, m * k), b = TestData.Uniform(random, k * n);
        var batch = new float[m * n];
        Gemm.MatMul(a, b, batch, m, k, n);
        for (int row = 0; row < m; row++)
        {
            var single = new float[n];
            Gemm.MatMul(a.AsSpan(row * k, k), b, single, 1, k, n);
            Assert.True(batch.AsSpan(row * n, n).SequenceEqual(single), $"row {row} of {n} columns");
        }
    }

    [Theory]
    [InlineData(784, 100)] // a Fashion-MNIST image into the MLP: 6 registers and the carried tail
    [InlineData(300, 96)]  // exactly 6 registers; passes of 150, not a multiple of 16
    [InlineData(17, 52)]
    [InlineData(16, 37)]
    [InlineData(100, 10)]  // a prediction's output layer: one masked register
    public void A_lone_row_with_zeros_gives_the_same_bits_as_in_a_batch(int k, int n)
    {
        // The lone-row kernels skip the steps where A is 0 (±0, in runs and alone); the batched ones do not.
        var random = new Random(k + n);
        const int m = 8;
        float[] a = TestData.Uniform(random, m * k), b = TestData.Uniform(random, k * n);
        for (int i = 0; i < a.Length; i++)
        {
            int run = (i / 7) % 3;
            if (run == 0 || random.Next(4) == 0)
            {
                a[i] = random.Next(2) == 0 ? 0f : -0f;
            }
        }

        var batch = new float[m * n];
        Gemm.MatMul(a, b, batch, m, k, n);
        for (int row = 0; row < m; row++)
        {
            var single = new float[n];
            Gemm.MatMul(a.AsSpan(row * k, k), b, single, 1, k, n);
            Assert.True(batch.AsSpan(row * n, n).SequenceEqual(single), $"row {row}, k {k}, n {n}");
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(batch[(row * n) + j]), BitConverter.SingleToInt32Bits(single[j]));
            }
        }

        // A NaN input is not zero: it reaches every output.
        float[] withNaN = a.AsSpan(0, k).ToArray();
        withNaN[k / 2] = float.NaN;
        var nanRow = new float[n];
        Gemm.MatMul(withNaN, b, nanRow, 1, k, n);
        Assert.All(nanRow, value => Assert.True(float.IsNaN(value)));
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Every_tier_gives_the_same_bits(Product product)
    {
        var random = new Random(7 + (int)product);
        foreach ((int m, int k, int n) in new[] { (1, 1, 1), (3, 7, 5), (5, 33, 37), (9, 100, 65), (32, 300, 100), (33, 31, 129), (1, 784, 100), (3, 600, 100), (2, 513, 52), (2, 60, 52), (3, 20, 108), (32, 784, 10), (17, 100, 10), (8, 40, 15), (41, 9, 116) })
        {
            float[] a = TestData.Uniform(random, m * k);
            float[] b = TestData.Uniform(random, k * n);
            float[] c0 = TestData.Uniform(random, m * n);
            float[]? expected = null;
            foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
            {
                float[] c = (float[])c0.Clone();
                using (new TierScope(tier))
                {
                    Run(product, a, b, c, m, k, n, accumulate: true);
                }

                expected ??= c;
                Assert.True(expected.AsSpan().SequenceEqual(c), $"{product} {m}×{k}×{n}: tier {tier} differs from scalar.");
            }
        }
    }

    [Fact]
    public void Transposed_products_equal_MatMul_on_explicit_transposes_bit_for_bit()
    {
        var random = new Random(11);
        // The last two are long enough for row groups (Gemm.RowGroup), which MatMul and TransA use and TransB does not.
        foreach ((int m, int k, int n) in new[] { (1, 2, 3), (4, 17, 33), (7, 64, 100), (32, 257, 10), (33, 100, 129), (300, 512, 100), (1027, 300, 37) })
        {
            float[] a = TestData.Uniform(random, m * k);
            float[] b = TestData.Uniform(random, k * n);
            float[] expected = new float[m * n];
            Gemm.MatMul(a, b, expected, m, k, n);

            float[] viaTransA = new float[m * n];
            Gemm.MatMulTransA(Transpose(a, m, k), b, viaTransA, m, k, n);
            Assert.Equal(expected, viaTransA);

            float[] viaTransB = new float[m * n];
            Gemm.MatMulTransB(a, Transpose(b, k, n), viaTransB, m, k, n);
            Assert.Equal(expected, viaTransB);
        }
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Known_small_product(Product product)
    {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [7, 8, 9, 10, 11, 12];
        float[] c = [1000, 1000, 1000, 1000];
        (float[] storedA, float[] storedB) = Stored(product, a, b, 2, 3, 2);
        Run(product, storedA, storedB, c, 2, 3, 2, accumulate: false);
        Assert.Equal([58f, 64f, 139f, 154f], c);
        Run(product, storedA, storedB, c, 2, 3, 2, accumulate: true);
        Assert.Equal([116f, 128f, 278f, 308f], c);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Zero_depth_clears_C_or_leaves_it_when_accumulating(Product product)
    {
        float[] c = [1, 2, 3, 4, 5, 6, 99];
        Run(product, [], [], c, 2, 0, 3, accumulate: true);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 99], c);
        Run(product, [], [], c, 2, 0, 3, accumulate: false);
        Assert.Equal([0f, 0, 0, 0, 0, 0, 99], c);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Empty_C_writes_nothing(Product product)
    {
        float[] c = [42];
        Run(product, new float[0], new float[15], c, 0, 5, 3, accumulate: false);
        Run(product, new float[5], new float[0], c, 1, 5, 0, accumulate: false);
        Assert.Equal([42f], c);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Too_short_buffers_throw(Product product)
    {
        const int m = 3, k = 4, n = 5;
        Assert.Throws<ArgumentException>(() => Run(product, new float[(m * k) - 1], new float[k * n], new float[m * n], m, k, n, false));
        Assert.Throws<ArgumentException>(() => Run(product, new float[m * k], new float[(k * n) - 1], new float[m * n], m, k, n, false));
        Assert.Throws<ArgumentException>(() => Run(product, new float[m * k], new float[k * n], new float[(m * n) - 1], m, k, n, true));

        // A size whose product overflows int must not pass as "long enough".
        Assert.Throws<ArgumentException>(() => Run(product, new float[4], new float[4], new float[4], 65536, 65536, 1, false));
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Negative_dimensions_throw(Product product)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(product, new float[4], new float[4], new float[4], -1, 2, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(product, new float[4], new float[4], new float[4], 2, -1, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(product, new float[4], new float[4], new float[4], 2, 2, -1, false));
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void C_overlapping_A_or_B_throws(Product product)
    {
        float[] buffer = new float[20];
        Assert.Throws<ArgumentException>(() => Run(product, buffer.AsSpan(0, 4), buffer.AsSpan(10, 4), buffer.AsSpan(2, 4), 2, 2, 2, false));
        Assert.Throws<ArgumentException>(() => Run(product, buffer.AsSpan(0, 4), buffer.AsSpan(10, 4), buffer.AsSpan(13, 4), 2, 2, 2, false));

        // Adjacent but disjoint slices of one buffer (as a network's parameter block has) are fine.
        Run(product, buffer.AsSpan(0, 4), buffer.AsSpan(4, 4), buffer.AsSpan(8, 4), 2, 2, 2, false);
    }

    private static void CheckAgainstReference(Random random, Product product, int m, int k, int n, bool accumulate)
    {
        const float PaddingSentinel = 1234.5f;
        float[] a = TestData.Uniform(random, m * k);
        float[] b = TestData.Uniform(random, k * n);
        float[] c0 = accumulate ? TestData.Uniform(random, m * n) : new float[m * n];

        // Longer spans than needed: NaN after A and B poisons any result that reads past them; C's tail must survive.
        float[] aPadded = TestData.Padded(a, 9, float.NaN);
        float[] bPadded = TestData.Padded(b, 9, float.NaN);
        float[] c = TestData.Padded(accumulate ? c0 : TestData.Uniform(random, m * n, 500, 600), 7, PaddingSentinel);
        Run(product, aPadded, bPadded, c, m, k, n, accumulate);

        float[] expected = (float[])c0.Clone();
        Reference(product, a, b, expected, m, k, n, accumulate);

        // Σ_p |a_ip·b_pj| + |c_ij|: the reference product of the absolute values.
        float[] magnitude = Array.ConvertAll(c0, Math.Abs);
        Reference(product, Array.ConvertAll(a, Math.Abs), Array.ConvertAll(b, Math.Abs), magnitude, m, k, n, accumulate: true);
        int roundings = k + ((k + Gemm.DepthBlock - 1) / Gemm.DepthBlock) + 1;

        for (int i = 0; i < m * n; i++)
        {
            double tolerance = 2 * roundings * TestData.FloatEpsilon * magnitude[i];
            double error = Math.Abs((double)c[i] - expected[i]);
            Assert.True(
                error <= tolerance,
                $"{product} m={m} k={k} n={n} accumulate={accumulate} tier={Simd.EffectiveTier}: C[{i / n},{i % n}] = {c[i]}, expected {expected[i]} (error {error:G3} > {tolerance:G3}).");
        }

        for (int i = m * n; i < c.Length; i++)
        {
            Assert.Equal(PaddingSentinel, c[i]);
        }
    }

    /// <summary>Runs <paramref name="product"/> on A and B stored as it expects (A k×m for TransA, B n×k for TransB).</summary>
    private static void Run(Product product, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        switch (product)
        {
            case Product.MatMul:
                Gemm.MatMul(a, b, c, m, k, n, accumulate);
                break;
            case Product.TransA:
                Gemm.MatMulTransA(a, b, c, m, k, n, accumulate);
                break;
            default:
                Gemm.MatMulTransB(a, b, c, m, k, n, accumulate);
                break;
        }
    }

    private static void Reference(Product product, float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate)
    {
        switch (product)
        {
            case Product.MatMul:
                NetGen.Kernels.Reference.MatMul(a, b, c, m, k, n, accumulate);
                break;
            case Product.TransA:
                NetGen.Kernels.Reference.MatMulTransA(a, b, c, m, k, n, accumulate);
                break;
            default:
                NetGen.Kernels.Reference.MatMulTransB(a, b, c, m, k, n, accumulate);
                break;
        }
    }

    /// <summary>A (m×k) and B (k×n) laid out as <paramref name="product"/> reads them.</summary>
    private static (float[] A, float[] B) Stored(Product product, float[] a, float[] b, int m, int k, int n) => product switch
    {
        Product.TransA => (Transpose(a, m, k), b),
        Product.TransB => (a, Transpose(b, k, n)),
        _ => (a, b),
    };

    private static float[] Transpose(float[] x, int rows, int columns)
    {
        var t = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int col = 0; col < columns; col++)
            {
                t[(col * rows) + r] = x[(r * columns) + col];
            }
        }

        return t;
    }
}
