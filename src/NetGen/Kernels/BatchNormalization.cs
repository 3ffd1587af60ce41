using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Batch normalization per channel over <c>rows</c> rows of <c>channels</c> values: per feature after a Dense layer
/// (rows = batch) or per channel after a Conv2D (rows = batch·h·w, NHWC). Follows Keras 3: training normalizes with
/// the batch's mean and biased variance and moves the moving statistics by
/// <c>moving = moving·momentum + batch·(1 − momentum)</c>, the moving variance too from the biased batch variance
/// (Keras 3's <c>BatchNormalization.call</c> feeds <c>ops.moments</c>' variance to both; PyTorch would use the unbiased
/// one); inference uses the moving statistics.
/// </summary>
/// <remarks>
/// Vectorized over channels at the width <see cref="Simd"/> allows, a block of channels at a time down the rows; every
/// lane does the same operations in the same order at every width (sums in row order), so every tier gives the same
/// bits. Single-threaded, so the thread count cannot change them.
/// </remarks>
public static class BatchNormalization
{
    /// <summary>
    /// y = gamma·(x − mean)/√(var + ε) + beta with the batch's mean and biased variance; saves the mean and
    /// 1/√(var + ε) for <see cref="Backward"/> and updates the moving statistics.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short or <paramref name="rows"/> is not positive.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardTraining(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> movingMean, Span<float> movingVariance, float momentum, float epsilon,
        Span<float> y, Span<float> savedMean, Span<float> savedInverseStd, int rows, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        Check(x.Length, y.Length, rows, channels, nameof(y));
        CheckChannels(gamma.Length, beta.Length, movingMean.Length, movingVariance.Length, channels);
        CheckChannels(savedMean.Length, savedInverseStd.Length, channels, channels, channels);
        var args = new Arguments(
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(gamma), ref MemoryMarshal.GetReference(beta),
            ref MemoryMarshal.GetReference(movingMean), ref MemoryMarshal.GetReference(movingVariance),
            ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(savedMean),
            ref MemoryMarshal.GetReference(savedInverseStd),
            momentum, epsilon, rows, channels);
        ByTier<TrainingPass>(in args);
    }

    /// <summary>y = gamma·(x − movingMean)/√(movingVariance + ε) + beta.</summary>
    /// <exception cref="ArgumentException">A buffer is too short or a size is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardInference(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVariance, float epsilon, Span<float> y, int rows, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Check(x.Length, y.Length, rows, channels, nameof(y));
        CheckChannels(gamma.Length, beta.Length, movingMean.Length, movingVariance.Length, channels);
        var args = new Arguments(
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(gamma), ref MemoryMarshal.GetReference(beta),
            ref MemoryMarshal.GetReference(movingMean), ref MemoryMarshal.GetReference(movingVariance),
            ref MemoryMarshal.GetReference(y), ref Unsafe.NullRef<float>(), ref Unsafe.NullRef<float>(), 0f, epsilon, rows, channels);
        ByTier<InferencePass>(in args);
    }

    /// <summary>
    /// From dy and the statistics <see cref="ForwardTraining"/> saved: overwrites dgamma = Σ dy·x̂, dbeta = Σ dy and,
    /// unless <paramref name="inputGradient"/> is empty, dx = gamma·s/N · (N·dy − dbeta − x̂·dgamma), with
    /// s = 1/√(var + ε), x̂ = (x − mean)·s and N = rows.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short or <paramref name="rows"/> is not positive.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> savedMean,
        ReadOnlySpan<float> savedInverseStd, ReadOnlySpan<float> outputGradient, Span<float> gammaGradient,
        Span<float> betaGradient, Span<float> inputGradient, int rows, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        Check(x.Length, outputGradient.Length, rows, channels, nameof(outputGradient));
        CheckChannels(gamma.Length, savedMean.Length, savedInverseStd.Length, gammaGradient.Length, channels);
        CheckChannels(betaGradient.Length, channels, channels, channels, channels);
        if (!inputGradient.IsEmpty)
        {
            Pooling.CheckLength(inputGradient.Length, (long)rows * channels, nameof(inputGradient));
        }

        // Reuses the record's slots: y is dy, the moving statistics are the gradients' outputs, the saved ones are read.
        var args = new Arguments(
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(gamma), ref MemoryMarshal.GetReference(outputGradient),
            ref MemoryMarshal.GetReference(gammaGradient), ref MemoryMarshal.GetReference(betaGradient),
            ref MemoryMarshal.GetReference(inputGradient), ref MemoryMarshal.GetReference(savedMean),
            ref MemoryMarshal.GetReference(savedInverseStd), momentum: 0f, epsilon: 0f, rows, channels, hasInputGradient: !inputGradient.IsEmpty);
        ByTier<BackwardPass>(in args);
    }

    /// <summary>The buffers of one call (their roles per pass are named where each pass reads them).</summary>
    private readonly ref struct Arguments
    {
        public readonly ref float X;
        public readonly ref float Gamma;
        public readonly ref float Beta;
        public readonly ref float MovingMean;
        public readonly ref float MovingVariance;
        public readonly ref float Y;
        public readonly ref float Mean;
        public readonly ref float InverseStd;
        public readonly float Momentum;
        public readonly float Epsilon;
        public readonly int Rows;
        public readonly int Channels;

        /// <summary>Backward only: whether dx (in the <see cref="Y"/> slot) is wanted.</summary>
        public readonly bool HasInputGradient;

        public Arguments(
            ref float x, ref float gamma, ref float beta, ref float movingMean, ref float movingVariance, ref float y,
            ref float mean, ref float inverseStd, float momentum, float epsilon, int rows, int channels, bool hasInputGradient = false)
        {
            X = ref x;
            Gamma = ref gamma;
            Beta = ref beta;
            MovingMean = ref movingMean;
            MovingVariance = ref movingVariance;
            Y = ref y;
            Mean = ref mean;
            InverseStd = ref inverseStd;
            HasInputGradient = hasInputGradient;
            Momentum = momentum;
            Epsilon = epsilon;
            Rows = rows;
            Channels = channels;
        }
    }

    private interface IChannelBlockPass
    {
        /// <summary>Channels ch.. in whole registers of one width, every row; returns the first channel left over.</summary>
        static abstract int Channels<TOps, TVec>(scoped in Arguments a, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct;
    }

    private static void ByTier<TPass>(scoped in Arguments a)
        where TPass : struct, IChannelBlockPass
    {
        SimdTier tier = Simd.EffectiveTier;
        int ch = 0;
        if (tier >= SimdTier.Vector512)
        {
            ch = TPass.Channels<Vector512Ops, Vector512<float>>(in a, ch);
        }

        if (tier >= SimdTier.Vector256)
        {
            ch = TPass.Channels<Vector256Ops, Vector256<float>>(in a, ch);
        }

        if (tier >= SimdTier.Vector128)
        {
            ch = TPass.Channels<Vector128Ops, Vector128<float>>(in a, ch);
        }

        TPass.Channels<ScalarOps, float>(in a, ch);
    }

    private readonly struct TrainingPass : IChannelBlockPass
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int Channels<TOps, TVec>(scoped in Arguments a, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint stride = (nuint)a.Channels;
            TVec count = TOps.Broadcast(a.Rows), one = TOps.Broadcast(1f);
            TVec momentum = TOps.Broadcast(a.Momentum), rest = TOps.Broadcast(1f - a.Momentum), epsilon = TOps.Broadcast(a.Epsilon);
            for (; ch + TOps.Count <= a.Channels; ch += TOps.Count)
            {
                nuint c = (nuint)ch;
                TVec sum = TOps.Zero;
                for (nuint r = 0, at = c; r < (nuint)a.Rows; r++, at += stride)
                {
                    sum = TOps.Add(sum, TOps.Load(ref a.X, at));
                }

                TVec mean = TOps.Divide(sum, count);
                TVec squares = TOps.Zero;
                for (nuint r = 0, at = c; r < (nuint)a.Rows; r++, at += stride)
                {
                    TVec d = TOps.Subtract(TOps.Load(ref a.X, at), mean);
                    squares = TOps.MultiplyAdd(d, d, squares);
                }

                TVec variance = TOps.Divide(squares, count);
                TVec inverseStd = TOps.Divide(one, TOps.Sqrt(TOps.Add(variance, epsilon)));
                TOps.Store(mean, ref a.Mean, c);
                TOps.Store(inverseStd, ref a.InverseStd, c);
                TOps.Store(TOps.MultiplyAdd(TOps.Load(ref a.MovingMean, c), momentum, TOps.Multiply(mean, rest)), ref a.MovingMean, c);
                TOps.Store(TOps.MultiplyAdd(TOps.Load(ref a.MovingVariance, c), momentum, TOps.Multiply(variance, rest)), ref a.MovingVariance, c);
                Normalize<TOps, TVec>(in a, c, mean, TOps.Multiply(TOps.Load(ref a.Gamma, c), inverseStd));
            }

            return ch;
        }
    }

    private readonly struct InferencePass : IChannelBlockPass
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int Channels<TOps, TVec>(scoped in Arguments a, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec one = TOps.Broadcast(1f), epsilon = TOps.Broadcast(a.Epsilon);
            for (; ch + TOps.Count <= a.Channels; ch += TOps.Count)
            {
                nuint c = (nuint)ch;
                TVec inverseStd = TOps.Divide(one, TOps.Sqrt(TOps.Add(TOps.Load(ref a.MovingVariance, c), epsilon)));
                Normalize<TOps, TVec>(in a, c, TOps.Load(ref a.MovingMean, c), TOps.Multiply(TOps.Load(ref a.Gamma, c), inverseStd));
            }

            return ch;
        }
    }

    /// <summary>y = (x − mean)·scale + beta down the rows of one block of channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalize<TOps, TVec>(scoped in Arguments a, nuint c, TVec mean, TVec scale)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint stride = (nuint)a.Channels;
        TVec beta = TOps.Load(ref a.Beta, c);
        for (nuint r = 0, at = c; r < (nuint)a.Rows; r++, at += stride)
        {
            TOps.Store(TOps.MultiplyAdd(TOps.Subtract(TOps.Load(ref a.X, at), mean), scale, beta), ref a.Y, at);
        }
    }

    private readonly struct BackwardPass : IChannelBlockPass
    {
        // Slots: Beta = dy, MovingMean = dgamma (out), MovingVariance = dbeta (out), Y = dx (out, if HasInputGradient).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int Channels<TOps, TVec>(scoped in Arguments a, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            nuint stride = (nuint)a.Channels;
            TVec count = TOps.Broadcast(a.Rows);
            for (; ch + TOps.Count <= a.Channels; ch += TOps.Count)
            {
                nuint c = (nuint)ch;
                TVec mean = TOps.Load(ref a.Mean, c), inverseStd = TOps.Load(ref a.InverseStd, c);
                TVec dBeta = TOps.Zero, dGamma = TOps.Zero;
                for (nuint r = 0, at = c; r < (nuint)a.Rows; r++, at += stride)
                {
                    TVec dy = TOps.Load(ref a.Beta, at);
                    TVec normalized = TOps.Multiply(TOps.Subtract(TOps.Load(ref a.X, at), mean), inverseStd);
                    dBeta = TOps.Add(dBeta, dy);
                    dGamma = TOps.MultiplyAdd(dy, normalized, dGamma);
                }

                TOps.Store(dGamma, ref a.MovingMean, c);
                TOps.Store(dBeta, ref a.MovingVariance, c);
                if (!a.HasInputGradient)
                {
                    continue;
                }

                // dx = k·(dy − dbeta/N − x̂·dgamma/N), k = gamma·s.
                TVec k = TOps.Multiply(TOps.Load(ref a.Gamma, c), inverseStd);
                TVec meanDy = TOps.Divide(dBeta, count), meanDyX = TOps.Divide(dGamma, count);
                for (nuint r = 0, at = c; r < (nuint)a.Rows; r++, at += stride)
                {
                    TVec normalized = TOps.Multiply(TOps.Subtract(TOps.Load(ref a.X, at), mean), inverseStd);
                    TVec centred = TOps.Subtract(TOps.Subtract(TOps.Load(ref a.Beta, at), meanDy), TOps.Multiply(normalized, meanDyX));
                    TOps.Store(TOps.Multiply(k, centred), ref a.Y, at);
                }
            }

            return ch;
        }
    }

    private static void Check(int xLength, int yLength, int rows, int channels, string yName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Pooling.CheckLength(xLength, (long)rows * channels, "x");
        Pooling.CheckLength(yLength, (long)rows * channels, yName);
    }

    private static void CheckChannels(int a, int b, int c, int d, int channels)
    {
        if (a < channels || b < channels || c < channels || d < channels)
        {
            throw new ArgumentException($"A per-channel buffer holds fewer than the {channels} channels.");
        }
    }
}
