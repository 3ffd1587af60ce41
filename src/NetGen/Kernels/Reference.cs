using System;

namespace NetGen.Kernels;

/// <summary>
/// Naive scalar twins of the kernels, accumulating in double: the test oracle. Never used on a hot path. Each follows
/// its kernel's contract (row-major, leading elements of longer spans) but skips argument validation.
/// </summary>
internal static class Reference
{
    /// <summary>C[m×n] (+)= A[m×k] · B[k×n].</summary>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        Product(a, b, c, m, k, n, accumulate, aRow: k, aDepth: 1, bDepth: n, bColumn: 1);

    /// <summary>C[m×n] (+)= A[k×m]ᵀ · B[k×n].</summary>
    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        Product(a, b, c, m, k, n, accumulate, aRow: 1, aDepth: m, bDepth: n, bColumn: 1);

    /// <summary>C[m×n] (+)= A[m×k] · B[n×k]ᵀ.</summary>
    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        Product(a, b, c, m, k, n, accumulate, aRow: k, aDepth: 1, bDepth: 1, bColumn: k);

    /// <summary>y[r, :] += bias for each of <paramref name="rows"/> rows.</summary>
    public static void AddToRows(Span<float> y, ReadOnlySpan<float> bias, int rows)
    {
        int n = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                y[(r * n) + j] = (float)((double)y[(r * n) + j] + bias[j]);
            }
        }
    }

    /// <summary>db = Σ over rows of dy[r, :].</summary>
    public static void BiasGradient(ReadOnlySpan<float> dy, Span<float> gradient, int rows)
    {
        int n = gradient.Length;
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += dy[(r * n) + j];
            }

            gradient[j] = (float)sum;
        }
    }

    /// <summary>a = max(z, 0).</summary>
    public static void Relu(ReadOnlySpan<float> z, Span<float> a) => Map(z, a, x => x > 0 ? x : 0);

    /// <summary>a = z for z &gt; 0, else alpha·z.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> z, float alpha, Span<float> a) => Map(z, a, x => x > 0 ? x : alpha * x);

    /// <summary>a = 1 / (1 + e^−z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> a) => Map(z, a, SigmoidOf);

    /// <summary>a = tanh(z).</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => Map(z, a, Math.Tanh);

    /// <summary>Row-wise softmax over rows of <paramref name="columns"/> values.</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a, int columns)
    {
        for (int r = 0; r < z.Length / columns; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < columns; j++)
            {
                max = Math.Max(max, z[(r * columns) + j]);
            }

            double sum = 0;
            for (int j = 0; j < columns; j++)
            {
                sum += Math.Exp(z[(r * columns) + j] - max);
            }

            for (int j = 0; j < columns; j++)
            {
                a[(r * columns) + j] = (float)(Math.Exp(z[(r * columns) + j] - max) / sum);
            }
        }
    }

    /// <summary>dz = da where z &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> da, Span<float> dz) =>
        Map(z, da, dz, (x, g) => x > 0 ? g : 0);

    /// <summary>dz = da where z &gt; 0, else alpha·da.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> da, float alpha, Span<float> dz) =>
        Map(z, da, dz, (x, g) => x > 0 ? g : alpha * g);

    /// <summary>dz = da·a·(1 − a), from the sigmoid's output a.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz) =>
        Map(a, da, dz, (y, g) => g * y * (1 - y));

    /// <summary>dz = da·(1 − a²), from tanh's output a.</summary>
    public static void TanhBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz) =>
        Map(a, da, dz, (y, g) => g * (1 - (y * y)));

    /// <summary>Per row: dz_j = a_j·(da_j − Σ_i da_i·a_i), from the softmax output a.</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int columns)
    {
        for (int r = 0; r < a.Length / columns; r++)
        {
            double dot = 0;
            for (int j = 0; j < columns; j++)
            {
                dot += (double)a[(r * columns) + j] * da[(r * columns) + j];
            }

            for (int j = 0; j < columns; j++)
            {
                int at = (r * columns) + j;
                dz[at] = (float)(a[at] * (da[at] - dot));
            }
        }
    }

    /// <summary>σ(z) in double, stable for large |z|.</summary>
    public static double SigmoidOf(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>C(i, j) (+)= Σ_p A(i, p)·B(p, j), with A(i, p) at a[i·aRow + p·aDepth] and B(p, j) at b[p·bDepth + j·bColumn].</summary>
    private static void Product(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate,
        int aRow, int aDepth, int bDepth, int bColumn)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[(i * n) + j] : 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[(i * aRow) + (p * aDepth)] * b[(p * bDepth) + (j * bColumn)];
                }

                c[(i * n) + j] = (float)sum;
            }
        }
    }

    private static void Map(ReadOnlySpan<float> x, Span<float> y, Func<double, double> f)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)f(x[i]);
        }
    }

    private static void Map(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> y, Func<double, double, double> f)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)f(x[i], g[i]);
        }
    }
}
