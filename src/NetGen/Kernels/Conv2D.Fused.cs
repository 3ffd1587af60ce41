using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

// The forward pass with the layer's bias and ReLU or leaky ReLU applied to each chunk of output while it is in cache.
public static partial class Conv2D
{
    /// <summary>
    /// <see cref="Forward"/> followed by <see cref="BiasActivation.AddBiasRelu"/> over its rows, in one call:
    /// <paramref name="output"/> = z + bias (kept for the backward pass) and <paramref name="activation"/> = max(that, 0),
    /// the same bits as the two calls. <paramref name="activation"/> may be <paramref name="output"/> itself; otherwise
    /// they must not overlap.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardBiasRelu(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> output,
        Span<float> activation, Span<float> scratch, in Conv2DGeometry g, int filters, int batch) =>
        ForwardWithEpilogue(input, kernel, output, scratch, in g, filters, batch, new Epilogue(bias, activation, Leaky: false, Alpha: 0f));

    /// <summary>
    /// As <see cref="ForwardBiasRelu"/> with a leaky ReLU: <paramref name="activation"/> = z for z &gt; 0, else
    /// <paramref name="alpha"/>·z, as <see cref="BiasActivation.AddBiasLeakyRelu"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardBiasLeakyRelu(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, float alpha, Span<float> output,
        Span<float> activation, Span<float> scratch, in Conv2DGeometry g, int filters, int batch) =>
        ForwardWithEpilogue(input, kernel, output, scratch, in g, filters, batch, new Epilogue(bias, activation, Leaky: true, Alpha: alpha));

    private static void ForwardWithEpilogue(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, Span<float> output, Span<float> scratch,
        in Conv2DGeometry g, int filters, int batch, in Epilogue epilogue)
    {
        Check(input, kernel, output, scratch, in g, filters, batch, nameof(output));
        int rows = batch * g.OutputPixels;
        CheckLength(epilogue.Bias.Length, filters, "bias");
        CheckLength(epilogue.Activation.Length, (long)rows * filters, "activation");
        if (IsPlainProduct(in g))
        {
            Gemm.MatMul(input, kernel, output, rows, g.WindowLength, filters);
            BiasActivation.ForwardRows(
                ref MemoryMarshal.GetReference(output), ref MemoryMarshal.GetReference(epilogue.Bias),
                ref MemoryMarshal.GetReference(epilogue.Activation), filters, rows, epilogue.Leaky, epilogue.Alpha);
            return;
        }

        if (rows > 0)
        {
            RunJob(input, kernel, output, default, default, default, scratch, in g, filters, batch, backward: false, in epilogue);
        }
    }

    /// <summary>What a fused forward pass adds to each chunk of output: the bias, then ReLU or leaky ReLU into Activation.</summary>
    private readonly ref struct Epilogue(ReadOnlySpan<float> Bias, Span<float> Activation, bool Leaky, float Alpha)
    {
        public ReadOnlySpan<float> Bias { get; } = Bias;

        public Span<float> Activation { get; } = Activation;

        public bool Leaky { get; } = Leaky;

        public float Alpha { get; } = Alpha;
    }
}
