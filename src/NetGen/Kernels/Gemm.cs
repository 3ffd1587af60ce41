using System;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// Row-major single-precision matrix products for dense layers. Each call computes C = op(A)·op(B), or adds it to C
/// when <c>accumulate</c> is true. Forward is <see cref="MatMul"/> (Y = X·W), the kernel gradient
/// <see cref="MatMulTransA"/> (dW = Xᵀ·dY) and the input gradient <see cref="MatMulTransB"/> (dX = dY·Wᵀ).
/// </summary>
public static class Gemm
{
    /// <summary>C[m×n] (+)= A[m×k] · B[k×n].</summary>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Check(a.Length, m * k, b.Length, k * n, c.Length, m * n);
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> ci = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[(i * k) + p], ci, ci);
            }
        }
    }

    /// <summary>C[m×n] (+)= A[k×m]ᵀ · B[k×n].</summary>
    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Check(a.Length, k * m, b.Length, k * n, c.Length, m * n);
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<float> bp = b.Slice(p * n, n);
            for (int i = 0; i < m; i++)
            {
                Span<float> ci = c.Slice(i * n, n);
                TensorPrimitives.MultiplyAdd(bp, a[(p * m) + i], ci, ci);
            }
        }
    }

    /// <summary>C[m×n] (+)= A[m×k] · B[n×k]ᵀ.</summary>
    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Check(a.Length, m * k, b.Length, n * k, c.Length, m * n);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> ai = a.Slice(i * k, k);
            for (int j = 0; j < n; j++)
            {
                float dot = TensorPrimitives.Dot(ai, b.Slice(j * k, k));
                c[(i * n) + j] = accumulate ? c[(i * n) + j] + dot : dot;
            }
        }
    }

    private static void Check(int aLength, int aNeeded, int bLength, int bNeeded, int cLength, int cNeeded)
    {
        if (aLength < aNeeded || bLength < bNeeded || cLength < cNeeded)
        {
            throw new ArgumentException(
                $"Matrix buffers are too short: A has {aLength} of {aNeeded}, B {bLength} of {bNeeded}, C {cLength} of {cNeeded} floats.");
        }
    }
}
