using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// Row-major single-precision matrix products for dense layers. Each call computes C = op(A)·op(B), or adds it to C
/// when <c>accumulate</c> is true. Forward is <see cref="MatMul"/> (Y = X·W), the kernel gradient
/// <see cref="MatMulTransA"/> (dW = Xᵀ·dY) and the input gradient <see cref="MatMulTransB"/> (dX = dY·Wᵀ).
/// </summary>
/// <remarks>
/// Spans may be longer than the matrices: only their leading elements are read or written. C must not overlap A or
/// B. All three products run the same register-blocked micro-kernel (<c>Gemm.Microkernel.cs</c>) on the vector
/// width chosen by <see cref="Simd"/>; each element of C is summed over k in the same order on every tier, so the
/// results are bit-identical whichever tier runs.
/// </remarks>
public static partial class Gemm
{
    /// <summary>C[m×n] (+)= A[m×k] · B[k×n].</summary>
    /// <exception cref="ArgumentException">A dimension is negative, a buffer is too short, or C overlaps A or B.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        if (StartEmpty(c, m, k, n, accumulate))
        {
            return;
        }

        // op(A)(i, p) = a[i·k + p]: rows k apart, depth contiguous.
        var operands = new Operands(
            ref MemoryMarshal.GetReference(a), aRowStride: k, aDepthStride: 1,
            ref MemoryMarshal.GetReference(b), bTransposed: false,
            ref MemoryMarshal.GetReference(c), m, k, n, pack: default);
        Multiply(in operands, accumulate);
    }

    /// <summary>C[m×n] (+)= A[k×m]ᵀ · B[k×n].</summary>
    /// <exception cref="ArgumentException">A dimension is negative, a buffer is too short, or C overlaps A or B.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        if (StartEmpty(c, m, k, n, accumulate))
        {
            return;
        }

        // A is stored k×m, so op(A)(i, p) = a[p·m + i]: the micro-kernel just walks A with swapped strides.
        var operands = new Operands(
            ref MemoryMarshal.GetReference(a), aRowStride: 1, aDepthStride: m,
            ref MemoryMarshal.GetReference(b), bTransposed: false,
            ref MemoryMarshal.GetReference(c), m, k, n, pack: default);
        Multiply(in operands, accumulate);
    }

    /// <summary>C[m×n] (+)= A[m×k] · B[n×k]ᵀ.</summary>
    /// <exception cref="ArgumentException">A dimension is negative, a buffer is too short, or C overlaps A or B.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        if (StartEmpty(c, m, k, n, accumulate))
        {
            return;
        }

        // B is stored n×k; each panel of op(B) is transposed into this buffer before use (see Gemm.Transposed.cs).
        Span<float> pack = stackalloc float[TransposedPanelLength(k, n)];
        var operands = new Operands(
            ref MemoryMarshal.GetReference(a), aRowStride: k, aDepthStride: 1,
            ref MemoryMarshal.GetReference(b), bTransposed: true,
            ref MemoryMarshal.GetReference(c), m, k, n, pack);
        Multiply(in operands, accumulate);
    }

    /// <summary>
    /// Handles the shapes with nothing to multiply: true (and C already final) when m, n or k is zero. An empty sum
    /// is zero, so with k = 0 C is cleared unless accumulating.
    /// </summary>
    private static bool StartEmpty(Span<float> c, int m, int k, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return true;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            return true;
        }

        return false;
    }

    /// <summary>Checks the dimensions and that every buffer holds its matrix; A is m×k or k×m and B k×n or n×k alike.</summary>
    private static void Validate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);

        // In long: a product past int.MaxValue can only mean a buffer too short, never a wrapped "long enough".
        long aNeeded = (long)m * k, bNeeded = (long)k * n, cNeeded = (long)m * n;
        if (a.Length < aNeeded || b.Length < bNeeded || c.Length < cNeeded)
        {
            throw new ArgumentException(
                $"Matrix buffers are too short for m={m}, k={k}, n={n}: A has {a.Length} of {aNeeded}, B {b.Length} of {bNeeded}, C {c.Length} of {cNeeded} floats.");
        }

        Span<float> cUsed = c[..(int)cNeeded];
        if (cUsed.Overlaps(a[..(int)aNeeded]) || cUsed.Overlaps(b[..(int)bNeeded]))
        {
            throw new ArgumentException("C must not overlap A or B: blocks of C are written while A and B are still being read.");
        }
    }
}
