using System;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

// The backward pass of a Conv2D with ReLU under a max pooling layer, from the pooling layer's output gradient.
public static partial class Conv2D
{
    /// <summary>
    /// <see cref="MaxPooling2D.Backward"/>, <see cref="BiasActivation.ReluBackward"/> and <see cref="Backward"/> in one
    /// call: each chunk of samples routes its pooled gradient to the winners (<paramref name="argmax"/>, flat indices
    /// into the convolution's output) and applies ReLU's derivative from <paramref name="z"/> (z + bias) into
    /// <paramref name="outputGradient"/> just before its products read it, on the thread that reads it, instead of two
    /// passes over the whole batch on one thread. dz is the same as the three calls'; the bias gradient is summed in
    /// <see cref="WeightGradientLanes"/> fixed lanes of samples, added in lane order, so any thread count gives the same
    /// bits.
    /// </summary>
    /// <remarks><paramref name="outputGradient"/> is written: dz, batch·oh·ow·filters floats. The convolution's
    /// activation buffer can hold it, since nothing reads the activation after the forward pass.</remarks>
    /// <exception cref="ArgumentException">The geometries disagree, a buffer is too short, or an argmax is out of range.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardReluMaxPool(
        ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> z, ReadOnlySpan<int> argmax, ReadOnlySpan<float> pooledGradient,
        Span<float> outputGradient, Span<float> kernelGradient, Span<float> biasGradient, Span<float> inputGradient, Span<float> scratch,
        in Conv2DGeometry g, in Conv2DGeometry pool, int filters, int batch)
    {
        Check(input, kernel, outputGradient, scratch, in g, filters, batch, nameof(outputGradient));
        pool.Validate();
        if (pool.InputHeight != g.OutputHeight || pool.InputWidth != g.OutputWidth || pool.Channels != filters)
        {
            throw new ArgumentException(
                $"The pooling reads {pool.InputHeight}×{pool.InputWidth}×{pool.Channels} but the convolution outputs {g.OutputHeight}×{g.OutputWidth}×{filters}.",
                nameof(pool));
        }

        int rows = batch * g.OutputPixels, outputs = pool.OutputPixels * filters;
        CheckLength(z.Length, (long)rows * filters, nameof(z));
        CheckLength(argmax.Length, (long)batch * outputs, nameof(argmax));
        CheckLength(pooledGradient.Length, (long)batch * outputs, nameof(pooledGradient));
        CheckLength(kernelGradient.Length, (long)g.WindowLength * filters, nameof(kernelGradient));
        CheckLength(biasGradient.Length, filters, nameof(biasGradient));
        if (!inputGradient.IsEmpty)
        {
            CheckLength(inputGradient.Length, (long)batch * g.InputLength, nameof(inputGradient));
        }

        if (batch == 0 || IsPlainProduct(in g))
        {
            // A 1×1 window is one product over the whole batch: route it all first.
            MaxPooling2D.Backward(pooledGradient, argmax, outputGradient, in pool, batch);
            BiasActivation.ReluBackward(z, outputGradient, biasGradient, rows);
            if (batch == 0)
            {
                biasGradient[..filters].Clear();
            }

            Backward(input, kernel, outputGradient, kernelGradient, inputGradient, scratch, in g, filters, batch);
            return;
        }

        RunJob(
            input, kernel, default, outputGradient, kernelGradient, inputGradient, scratch, in g, filters, batch, backward: true,
            pooled: new PooledGradient(z, argmax, pooledGradient, pool, biasGradient));
    }

    /// <summary>What a backward pass from a pooling layer's gradient reads, and where its bias gradient goes.</summary>
    private readonly ref struct PooledGradient(
        ReadOnlySpan<float> z, ReadOnlySpan<int> argmax, ReadOnlySpan<float> gradient, Conv2DGeometry pool, Span<float> biasGradient)
    {
        public ReadOnlySpan<float> Z { get; } = z;

        public ReadOnlySpan<int> Argmax { get; } = argmax;

        public ReadOnlySpan<float> Gradient { get; } = gradient;

        /// <summary>The pooling layer's geometry: its input is the convolution's output.</summary>
        public Conv2DGeometry Pool { get; } = pool;

        public Span<float> BiasGradient { get; } = biasGradient;
    }
}
