using System;
using System.Linq;
using NetGen.Kernels;
using NetGen.Tests.Kernels;

namespace NetGen.Tests.Gradients;

/// <summary>
/// The backward passes of Conv2D, the poolings and batch normalization (training mode) against central finite
/// differences in double of the reference forward passes, for the loss L = Σ r·y with fixed random r (so dL/dy = r).
/// Both the double reference backward (tight: 1e-6 of the gradient's scale) and the float kernels (1e-4) must match.
/// </summary>
public sealed class ConvolutionGradientTests
{
    private const double H = 1e-5;

    public static TheoryData<int, int, int, int, int, bool, int> ConvolutionShapes() => new()
    {
        // size, channels, kernel, stride, filters, same, batch
        { 5, 1, 3, 1, 2, false, 2 },
        { 6, 3, 3, 2, 2, true, 1 },
        { 7, 2, 2, 3, 3, true, 2 },
        { 4, 3, 1, 1, 2, false, 2 },
    };

    [Theory]
    [MemberData(nameof(ConvolutionShapes))]
    public void Conv2D_backward_matches_finite_differences(int size, int channels, int kernel, int stride, int filters, bool same, int batch)
    {
        Conv2DGeometry g = same
            ? Conv2DGeometry.Same(size, size + 1, channels, kernel, kernel, stride, stride)
            : Conv2DGeometry.Valid(size, size + 1, channels, kernel, kernel, stride, stride);
        var random = new Random(size + (10 * channels) + (100 * kernel));
        double[] x = Values(random, batch * g.InputLength), w = Values(random, g.WindowLength * filters);
        double[] r = Values(random, batch * g.OutputPixels * filters);
        double Loss(double[] xv, double[] wv)
        {
            double[] z = new double[r.Length];
            ConvolutionReference.Conv2DForward(xv, wv, z, g, filters, batch);
            return Dot(z, r);
        }

        double[] dw = new double[w.Length], dx = new double[x.Length];
        ConvolutionReference.Conv2DBackward(x, w, r, dw, dx, g, filters, batch);
        float[] kernelDw = new float[w.Length], kernelDx = new float[x.Length];
        Conv2D.Backward(ToFloat(x), ToFloat(w), ToFloat(r), kernelDw, kernelDx, new float[Conv2D.ScratchLength(in g, filters, batch)], in g, filters, batch);

        double[] numericDw = Numeric(w, wv => Loss(x, wv)), numericDx = Numeric(x, xv => Loss(xv, w));
        AssertGradient(numericDw, dw, kernelDw, "dW");
        AssertGradient(numericDx, dx, kernelDx, "dx");
    }

    [Theory]
    [InlineData(6, 3, 2, 2, false)]
    [InlineData(7, 2, 3, 2, true)]
    [InlineData(5, 4, 2, 3, true)]
    public void Pooling_backward_matches_finite_differences(int size, int channels, int window, int stride, bool same)
    {
        Conv2DGeometry g = same
            ? Conv2DGeometry.Same(size, size, channels, window, window, stride, stride)
            : Conv2DGeometry.Valid(size, size, channels, window, window, stride, stride);
        const int batch = 2;
        var random = new Random(size + (10 * window));

        // Distinct values 0.01 apart, so no step of H changes a window's winner.
        double[] x = Enumerable.Range(0, batch * g.InputLength).Select(i => i * 0.01).OrderBy(_ => random.Next()).ToArray();
        double[] r = Values(random, batch * g.OutputPixels * channels);
        int[] argmax = new int[r.Length];
        double[] y = new double[r.Length];

        double[] dx = new double[x.Length];
        ConvolutionReference.MaxPoolForward(x, y, argmax, g, batch);
        ConvolutionReference.MaxPoolBackward(r, argmax, dx, g, batch);
        int[] kernelArgmax = new int[r.Length];
        MaxPooling2D.Forward(ToFloat(x), new float[r.Length], kernelArgmax, in g, batch);
        float[] kernelDx = new float[x.Length];
        MaxPooling2D.Backward(ToFloat(r), kernelArgmax, kernelDx, in g, batch);
        AssertGradient(
            Numeric(x, xv =>
            {
                ConvolutionReference.MaxPoolForward(xv, y, argmax, g, batch);
                return Dot(y, r);
            }),
            dx, kernelDx, "max dx");

        ConvolutionReference.AveragePoolBackward(r, dx, g, batch);
        AveragePooling2D.Backward(ToFloat(r), kernelDx, in g, batch);
        AssertGradient(
            Numeric(x, xv =>
            {
                ConvolutionReference.AveragePoolForward(xv, y, g, batch);
                return Dot(y, r);
            }),
            dx, kernelDx, "average dx");

        int pixels = g.InputHeight * g.InputWidth;
        double[] rg = Values(random, batch * channels), yg = new double[rg.Length];
        ConvolutionReference.GlobalAveragePoolBackward(rg, dx, pixels, channels, batch);
        GlobalAveragePooling2D.Backward(ToFloat(rg), kernelDx, pixels, channels, batch);
        AssertGradient(
            Numeric(x, xv =>
            {
                ConvolutionReference.GlobalAveragePoolForward(xv, yg, pixels, channels, batch);
                return Dot(yg, rg);
            }),
            dx, kernelDx, "global average dx");
    }

    [Theory]
    [InlineData(6, 3)]
    [InlineData(32, 5)]
    [InlineData(2, 17)]
    public void BatchNormalization_training_backward_matches_finite_differences(int rows, int channels)
    {
        var random = new Random((rows * 100) + channels);
        double[] x = Values(random, rows * channels), gamma = Values(random, channels), beta = Values(random, channels);
        double[] r = Values(random, rows * channels);
        const double epsilon = 1e-3;
        double Loss(double[] xv, double[] gv, double[] bv)
        {
            double[] y = new double[xv.Length], mean = new double[channels], s = new double[channels];
            ConvolutionReference.BatchNormTraining(xv, gv, bv, new double[channels], new double[channels], 0.99, epsilon, y, mean, s, rows, channels);
            return Dot(y, r);
        }

        double[] savedMean = new double[channels], savedInverseStd = new double[channels];
        ConvolutionReference.BatchNormTraining(
            x, gamma, beta, new double[channels], new double[channels], 0.99, epsilon, new double[x.Length], savedMean, savedInverseStd, rows, channels);
        double[] dgamma = new double[channels], dbeta = new double[channels], dx = new double[x.Length];
        ConvolutionReference.BatchNormBackward(x, gamma, savedMean, savedInverseStd, r, dgamma, dbeta, dx, rows, channels);

        float[] mean = new float[channels], inverseStd = new float[channels];
        BatchNormalization.ForwardTraining(
            ToFloat(x), ToFloat(gamma), ToFloat(beta), new float[channels], new float[channels], 0.99f, (float)epsilon,
            new float[x.Length], mean, inverseStd, rows, channels);
        float[] kernelDgamma = new float[channels], kernelDbeta = new float[channels], kernelDx = new float[x.Length];
        BatchNormalization.Backward(ToFloat(x), ToFloat(gamma), mean, inverseStd, ToFloat(r), kernelDgamma, kernelDbeta, kernelDx, rows, channels);

        AssertGradient(Numeric(x, xv => Loss(xv, gamma, beta)), dx, kernelDx, "dx");
        AssertGradient(Numeric(gamma, gv => Loss(x, gv, beta)), dgamma, kernelDgamma, "dgamma");
        AssertGradient(Numeric(beta, bv => Loss(x, gamma, bv)), dbeta, kernelDbeta, "dbeta");
    }

    private static double[] Values(Random random, int length) => Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    /// <summary>∂loss/∂v_i by central differences, one element at a time.</summary>
    private static double[] Numeric(double[] v, Func<double[], double> loss)
    {
        double[] gradient = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double saved = v[i];
            v[i] = saved + H;
            double up = loss(v);
            v[i] = saved - H;
            double down = loss(v);
            v[i] = saved;
            gradient[i] = (up - down) / (2 * H);
        }

        return gradient;
    }

    private static void AssertGradient(double[] numeric, double[] reference, float[] kernel, string what)
    {
        double scale = numeric.Max(Math.Abs) + 1e-3;
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - numeric[i]) <= 1e-6 * scale, $"reference {what}[{i}] = {reference[i]}, numeric {numeric[i]}");
            Assert.True(Math.Abs(kernel[i] - numeric[i]) <= 1e-4 * scale, $"kernel {what}[{i}] = {kernel[i]}, numeric {numeric[i]}");
        }
    }
}
