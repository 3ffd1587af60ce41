using System;
using System.Globalization;
using NetGen.Kernels;

namespace NetGen.Benchmarks;

/// <summary>Which product: C = A·B, Aᵀ·B (kernel gradients) or A·Bᵀ (input gradients).</summary>
internal enum GemmOp
{
    MatMul,
    TransA,
    TransB,
}

/// <summary>
/// A GEMM shape written <c>m×k×n</c> as C[m×n] = op(A)[m×k]·op(B)[k×n], with an optional <c>:TransA</c> or
/// <c>:TransB</c> suffix, e.g. <c>784x32x100:TransA</c> (the MLP's hidden-kernel gradient at batch 32).
/// </summary>
internal readonly record struct GemmShape(int M, int K, int N, GemmOp Op)
{
    /// <summary>Multiply-adds count two FLOPs: 2·m·k·n.</summary>
    public double Flops => 2.0 * M * K * N;

    public static GemmShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        string[] dims = parts[0].Split('x');
        if (dims.Length != 3 || parts.Length > 2)
        {
            throw new FormatException($"'{text}' is not a GEMM shape like 32x784x100 or 784x32x100:TransA.");
        }

        GemmOp op = parts.Length == 2 ? Enum.Parse<GemmOp>(parts[1], ignoreCase: true) : GemmOp.MatMul;
        return new GemmShape(
            int.Parse(dims[0], CultureInfo.InvariantCulture), int.Parse(dims[1], CultureInfo.InvariantCulture), int.Parse(dims[2], CultureInfo.InvariantCulture), op);
    }

    /// <summary>Runs the product once: A, B and C must hold m·k, k·n and m·n floats.</summary>
    public void Run(float[] a, float[] b, float[] c)
    {
        switch (Op)
        {
            case GemmOp.TransA: Gemm.MatMulTransA(a, b, c, M, K, N); break;
            case GemmOp.TransB: Gemm.MatMulTransB(a, b, c, M, K, N); break;
            default: Gemm.MatMul(a, b, c, M, K, N); break;
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{M}x{K}x{N}{(Op == GemmOp.MatMul ? "" : ":" + Op.ToString())}");
}
