using System;
using System.Linq;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels.Convolution;

/// <summary>One convolution or pooling test shape: the geometry, the filters (convolution only) and the batch.</summary>
public readonly record struct WindowCase(Conv2DGeometry Geometry, int Filters, int Batch)
{
    public override string ToString()
    {
        Conv2DGeometry g = Geometry;
        return $"{g.InputHeight}x{g.InputWidth}x{g.Channels} k{g.WindowHeight}x{g.WindowWidth} s{g.StrideHeight}x{g.StrideWidth} "
            + $"pad{g.PadTop},{g.PadLeft} -> {g.OutputHeight}x{g.OutputWidth} f{Filters} b{Batch}";
    }
}

/// <summary>The shapes every sliding-window kernel is tested over, and conversions for the double reference.</summary>
internal static class ConvolutionCases
{
    /// <summary>
    /// 1×1 kernels (the plain-product path and a strided one), strides 2 and 3, 'same' on odd sizes, one channel and
    /// many (tails at every vector width: 17 and 33), batch 1, non-square windows and strides, a window as large as
    /// the input, the two convolutions of the Keras simple convnet, and batches cut into several chunks.
    /// </summary>
    public static readonly WindowCase[] Convolutions =
    [
        Valid(5, 5, 1, 1, 1, 1, 1, filters: 3, batch: 2),
        Valid(6, 7, 3, 1, 1, 2, 2, filters: 4, batch: 1),
        Same(7, 7, 1, 3, 3, 1, 1, filters: 5, batch: 2),
        Same(8, 9, 2, 3, 3, 2, 2, filters: 3, batch: 1),
        Valid(10, 11, 3, 3, 2, 3, 3, filters: 4, batch: 2),
        Same(9, 8, 4, 2, 3, 3, 2, filters: 6, batch: 1),
        Same(5, 5, 17, 3, 3, 1, 1, filters: 33, batch: 2),
        Valid(4, 4, 2, 4, 4, 1, 1, filters: 1, batch: 3),
        Same(6, 6, 20, 5, 5, 2, 2, filters: 1, batch: 1),
        Same(1, 1, 3, 3, 3, 1, 1, filters: 2, batch: 2),
        Valid(28, 28, 1, 3, 3, 1, 1, filters: 32, batch: 2),
        Valid(13, 13, 32, 3, 3, 1, 1, filters: 64, batch: 1),

        // Several backward chunks (one sample each here) dealt to the kernel-gradient lanes, and chunks of 6 samples.
        Valid(13, 13, 32, 3, 3, 1, 1, filters: 8, batch: 6),
        Same(12, 12, 16, 3, 3, 2, 2, filters: 5, batch: 9),
    ];

    /// <summary>Pooling shapes: Keras's default 2×2/2, overlapping 3×3/2, strides 3, 'same' on odd sizes, tails of channels.</summary>
    public static readonly WindowCase[] Pools =
    [
        Valid(26, 26, 32, 2, 2, 2, 2, filters: 0, batch: 2),
        Valid(11, 11, 64, 2, 2, 2, 2, filters: 0, batch: 1),
        Same(5, 5, 1, 2, 2, 2, 2, filters: 0, batch: 2),
        Same(7, 9, 3, 3, 3, 2, 2, filters: 0, batch: 1),
        Valid(7, 7, 17, 3, 3, 2, 2, filters: 0, batch: 2),
        Valid(10, 9, 5, 3, 2, 3, 3, filters: 0, batch: 1),
        Same(8, 7, 33, 3, 2, 3, 1, filters: 0, batch: 2),
        Same(3, 3, 4, 3, 3, 1, 1, filters: 0, batch: 3),
    ];

    public static TheoryData<WindowCase> ConvolutionData => ToData(Convolutions);

    public static TheoryData<WindowCase> PoolData => ToData(Pools);

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    public static double[] Abs(double[] values) => Array.ConvertAll(values, Math.Abs);

    /// <summary>Asserts |actual − expected| ≤ (terms + 2)·u·magnitude element by element (u = 2⁻²⁴).</summary>
    public static void AssertWithinSumBound(float[] actual, double[] expected, double[] magnitude, int terms, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = ((terms + 2) * TestData.FloatEpsilon * magnitude[i]) + 1e-30;
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= tolerance, $"{what}[{i}] = {actual[i]}, expected {expected[i]} (error {error:G3} > {tolerance:G3}).");
        }
    }

    private static WindowCase Valid(int h, int w, int c, int kh, int kw, int sh, int sw, int filters, int batch) =>
        new(Conv2DGeometry.Valid(h, w, c, kh, kw, sh, sw), filters, batch);

    private static WindowCase Same(int h, int w, int c, int kh, int kw, int sh, int sw, int filters, int batch) =>
        new(Conv2DGeometry.Same(h, w, c, kh, kw, sh, sw), filters, batch);

    private static TheoryData<WindowCase> ToData(WindowCase[] cases)
    {
        var data = new TheoryData<WindowCase>();
        foreach (WindowCase c in cases)
        {
            data.Add(c);
        }

        return data;
    }
}
