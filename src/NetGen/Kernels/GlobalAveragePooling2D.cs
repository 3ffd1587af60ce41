using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Global average pooling over NHWC tensors: each sample's <c>pixels</c> rows of <c>channels</c> values averaged into
/// one row. Vectorized over channels; every lane adds the pixels in order and divides by their count, so every tier
/// gives the same bits.
/// </summary>
public static class GlobalAveragePooling2D
{
    /// <summary>output[b, c] = Σ_p input[b, p, c] / pixels.</summary>
    /// <exception cref="ArgumentException">A size is not positive or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int pixels, int channels, int batch)
    {
        Check(input.Length, output.Length, pixels, channels, batch, nameof(output));
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        for (int b = 0; b < batch; b++)
        {
            ByTier<SumPass>(ref Unsafe.Add(ref x, (nint)b * pixels * channels), ref Unsafe.Add(ref y, b * channels), pixels, channels);
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/>: dx[b, p, c] = dy[b, c] / pixels.</summary>
    /// <exception cref="ArgumentException">A size is not positive or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int pixels, int channels, int batch)
    {
        Check(inputGradient.Length, outputGradient.Length, pixels, channels, batch, nameof(outputGradient));
        ref float dx = ref MemoryMarshal.GetReference(inputGradient);
        ref float dy = ref MemoryMarshal.GetReference(outputGradient);
        for (int b = 0; b < batch; b++)
        {
            ByTier<SpreadPass>(ref Unsafe.Add(ref dx, (nint)b * pixels * channels), ref Unsafe.Add(ref dy, b * channels), pixels, channels);
        }
    }

    private static void ByTier<TPass>(ref float sample, ref float row, int pixels, int channels)
        where TPass : struct, IChannelPass
    {
        SimdTier tier = Simd.EffectiveTier;
        int ch = 0;
        if (tier >= SimdTier.Vector512)
        {
            ch = TPass.Channels<Vector512Ops, Vector512<float>>(ref sample, ref row, pixels, channels, ch);
        }

        if (tier >= SimdTier.Vector256)
        {
            ch = TPass.Channels<Vector256Ops, Vector256<float>>(ref sample, ref row, pixels, channels, ch);
        }

        if (tier >= SimdTier.Vector128)
        {
            ch = TPass.Channels<Vector128Ops, Vector128<float>>(ref sample, ref row, pixels, channels, ch);
        }

        TPass.Channels<ScalarOps, float>(ref sample, ref row, pixels, channels, ch);
    }

    private interface IChannelPass
    {
        static abstract int Channels<TOps, TVec>(ref float sample, ref float row, int pixels, int channels, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct;
    }

    private readonly struct SumPass : IChannelPass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Channels<TOps, TVec>(ref float sample, ref float row, int pixels, int channels, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec count = TOps.Broadcast(pixels);
            for (; ch + TOps.Count <= channels; ch += TOps.Count)
            {
                TVec sum = TOps.Zero;
                for (int p = 0; p < pixels; p++)
                {
                    sum = TOps.Add(sum, TOps.Load(ref sample, (nuint)((p * channels) + ch)));
                }

                TOps.Store(TOps.Divide(sum, count), ref row, (nuint)ch);
            }

            return ch;
        }
    }

    private readonly struct SpreadPass : IChannelPass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Channels<TOps, TVec>(ref float sample, ref float row, int pixels, int channels, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec count = TOps.Broadcast(pixels);
            for (; ch + TOps.Count <= channels; ch += TOps.Count)
            {
                TVec share = TOps.Divide(TOps.Load(ref row, (nuint)ch), count);
                for (int p = 0; p < pixels; p++)
                {
                    TOps.Store(share, ref sample, (nuint)((p * channels) + ch));
                }
            }

            return ch;
        }
    }

    private static void Check(int inputLength, int outputLength, int pixels, int channels, int batch, string outputName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        Pooling.CheckLength(inputLength, (long)batch * pixels * channels, "input");
        Pooling.CheckLength(outputLength, (long)batch * channels, outputName);
    }
}
