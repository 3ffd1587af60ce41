using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Average pooling over NHWC tensors, channel by channel. As in Keras, padded cells are left out of each window's
/// count: a 'same' window hanging over the edge averages only the input cells it covers.
/// </summary>
/// <remarks>
/// Vectorized over channels at the width <see cref="Simd"/> allows; every lane sums the window's cells in the same
/// order (rows, then columns) and divides by the same count, so every tier gives the same bits.
/// </remarks>
public static class AveragePooling2D
{
    /// <summary>output[b,oy,ox,c] = (Σ of the window's input cells) / (their count).</summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, in Conv2DGeometry g, int batch)
    {
        Pooling.Check(input.Length, output.Length, in g, batch, nameof(output));
        Run<ForwardWindow>(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(output), in g, batch);
    }

    /// <summary>Overwrites <paramref name="inputGradient"/>: each input cell gets Σ over the windows covering it of dy / count.</summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent or a buffer is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, in Conv2DGeometry g, int batch)
    {
        Pooling.Check(inputGradient.Length, outputGradient.Length, in g, batch, nameof(outputGradient));
        inputGradient[..(batch * g.InputLength)].Clear();
        Run<BackwardWindow>(ref MemoryMarshal.GetReference(inputGradient), ref MemoryMarshal.GetReference(outputGradient), in g, batch);
    }

    /// <summary>Each output pixel's window, in output order: the input-side buffer, the output-side one, and the channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TWindow>(ref float inputSide, ref float outputSide, in Conv2DGeometry g, int batch)
        where TWindow : struct, IWindowPass
    {
        int c = g.Channels;
        SimdTier tier = Simd.EffectiveTier;
        nint at = 0;
        for (int b = 0; b < batch; b++)
        {
            int sample = b * g.InputLength;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                (int y0, int y1) = Pooling.Rows(in g, oy);
                for (int ox = 0; ox < g.OutputWidth; ox++, at += c)
                {
                    (int x0, int x1) = Pooling.Columns(in g, ox);
                    ref float first = ref Unsafe.Add(ref inputSide, sample + (((y0 * g.InputWidth) + x0) * c));
                    ref float pixel = ref Unsafe.Add(ref outputSide, at);
                    int width = x1 - x0, height = y1 - y0, rowStride = g.InputWidth * c;
                    float count = width * height;
                    int ch = 0;
                    if (tier >= SimdTier.Vector512)
                    {
                        ch = TWindow.Channels<Vector512Ops, Vector512<float>>(ref first, ref pixel, width, height, rowStride, c, count, ch);
                    }

                    if (tier >= SimdTier.Vector256)
                    {
                        ch = TWindow.Channels<Vector256Ops, Vector256<float>>(ref first, ref pixel, width, height, rowStride, c, count, ch);
                    }

                    if (tier >= SimdTier.Vector128)
                    {
                        ch = TWindow.Channels<Vector128Ops, Vector128<float>>(ref first, ref pixel, width, height, rowStride, c, count, ch);
                    }

                    TWindow.Channels<ScalarOps, float>(ref first, ref pixel, width, height, rowStride, c, count, ch);
                }
            }
        }
    }

    /// <summary>One window, channels ch.. in whole registers of one width; returns the first channel left over.</summary>
    private interface IWindowPass
    {
        static abstract int Channels<TOps, TVec>(ref float first, ref float pixel, int width, int height, int rowStride, int channels, float count, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct;
    }

    private readonly struct ForwardWindow : IWindowPass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Channels<TOps, TVec>(ref float first, ref float pixel, int width, int height, int rowStride, int channels, float count, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec divisor = TOps.Broadcast(count);
            for (; ch + TOps.Count <= channels; ch += TOps.Count)
            {
                TVec sum = TOps.Zero;
                for (int ky = 0; ky < height; ky++)
                {
                    for (int kx = 0; kx < width; kx++)
                    {
                        sum = TOps.Add(sum, TOps.Load(ref first, (nuint)((ky * rowStride) + (kx * channels) + ch)));
                    }
                }

                TOps.Store(TOps.Divide(sum, divisor), ref pixel, (nuint)ch);
            }

            return ch;
        }
    }

    private readonly struct BackwardWindow : IWindowPass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Channels<TOps, TVec>(ref float first, ref float pixel, int width, int height, int rowStride, int channels, float count, int ch)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec divisor = TOps.Broadcast(count);
            for (; ch + TOps.Count <= channels; ch += TOps.Count)
            {
                TVec share = TOps.Divide(TOps.Load(ref pixel, (nuint)ch), divisor);
                for (int ky = 0; ky < height; ky++)
                {
                    for (int kx = 0; kx < width; kx++)
                    {
                        nuint cell = (nuint)((ky * rowStride) + (kx * channels) + ch);
                        TOps.Store(TOps.Add(TOps.Load(ref first, cell), share), ref first, cell);
                    }
                }
            }

            return ch;
        }
    }
}
