using System;
using System.Collections.Generic;
using NetGen.Losses;

namespace NetGen.Tests.Losses;

/// <summary>The public loss signature every loss kernel shares.</summary>
internal delegate float LossFunction(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch, Span<float> gradient);

/// <summary>A loss kernel under test, paired with its double-precision reference (loss only) written from the definition.</summary>
internal sealed record LossCase(string Name, LossFunction Kernel, Func<double[], float[], int, double> Reference, bool Sparse);

/// <summary>
/// Straightforward double-precision losses, written from Keras's definitions and deliberately not sharing code or
/// formulas with the kernels (e.g. BCE from logits as t·log(1 + e^−z) + (1 − t)·log(1 + e^z)). Used as the oracle for
/// values and, through central differences, for gradients.
/// </summary>
internal static class LossReference
{
    /// <summary>Keras's clip bounds as float32 rounds them.</summary>
    public const double Low = 1e-7f;

    /// <summary>The upper clip bound 1 − 1e-7 in float32.</summary>
    public const double High = 1f - 1e-7f;

    public static readonly IReadOnlyDictionary<string, LossCase> Cases = new Dictionary<string, LossCase>
    {
        ["MSE"] = new("MSE", MeanSquaredError.Compute, MeanSquared, false),
        ["MAE"] = new("MAE", MeanAbsoluteError.Compute, MeanAbsolute, false),
        ["BCE.FromLogits"] = new("BCE.FromLogits", BinaryCrossEntropy.FromLogits, BinaryFromLogits, false),
        ["BCE.FromProbabilities"] = new("BCE.FromProbabilities", BinaryCrossEntropy.FromProbabilities, BinaryFromProbabilities, false),
        ["CCE.FromLogits"] = new("CCE.FromLogits", CategoricalCrossEntropy.FromLogits, CategoricalFromLogits, false),
        ["CCE.FromProbabilities"] = new("CCE.FromProbabilities", CategoricalCrossEntropy.FromProbabilities, CategoricalFromProbabilities, false),
        ["SCCE.FromLogits"] = new("SCCE.FromLogits", SparseCategoricalCrossEntropy.FromLogits, (z, l, b) => CategoricalFromLogits(z, OneHot(l, z.Length / b), b), true),
        ["SCCE.FromProbabilities"] = new("SCCE.FromProbabilities", SparseCategoricalCrossEntropy.FromProbabilities, (p, l, b) => CategoricalFromProbabilities(p, OneHot(l, p.Length / b), b), true),
    };

    public static double MeanSquared(double[] y, float[] t, int batch)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += (y[i] - t[i]) * (y[i] - t[i]);
        }

        return sum / y.Length;
    }

    public static double MeanAbsolute(double[] y, float[] t, int batch)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += Math.Abs(y[i] - t[i]);
        }

        return sum / y.Length;
    }

    /// <summary>−[t·log σ(z) + (1 − t)·log(1 − σ(z))] = t·log(1 + e^−z) + (1 − t)·log(1 + e^z); accurate for moderate |z|.</summary>
    public static double BinaryFromLogits(double[] z, float[] t, int batch)
    {
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            sum += (t[i] * Math.Log(1 + Math.Exp(-z[i]))) + ((1 - t[i]) * Math.Log(1 + Math.Exp(z[i])));
        }

        return sum / z.Length;
    }

    public static double BinaryFromProbabilities(double[] p, float[] t, int batch)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double c = Math.Min(Math.Max(p[i], Low), High);
            sum -= (t[i] * Math.Log(c)) + ((1 - t[i]) * Math.Log(1 - c));
        }

        return sum / p.Length;
    }

    public static double CategoricalFromLogits(double[] z, float[] t, int batch)
    {
        int classes = z.Length / batch;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            double max = double.NegativeInfinity, denominator = 0;
            for (int i = 0; i < classes; i++)
            {
                max = Math.Max(max, z[(b * classes) + i]);
            }

            for (int i = 0; i < classes; i++)
            {
                denominator += Math.Exp(z[(b * classes) + i] - max);
            }

            for (int i = 0; i < classes; i++)
            {
                double logSoftmax = z[(b * classes) + i] - max - Math.Log(denominator);
                sum -= t[(b * classes) + i] * logSoftmax;
            }
        }

        return sum / batch;
    }

    /// <summary>Keras: rescale each row to sum to 1, clip to [ε, 1 − ε], then −Σ t·log.</summary>
    public static double CategoricalFromProbabilities(double[] p, float[] t, int batch)
    {
        int classes = p.Length / batch;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            double total = 0;
            for (int i = 0; i < classes; i++)
            {
                total += p[(b * classes) + i];
            }

            for (int i = 0; i < classes; i++)
            {
                double c = Math.Min(Math.Max(p[(b * classes) + i] / total, Low), High);
                sum -= t[(b * classes) + i] * Math.Log(c);
            }
        }

        return sum / batch;
    }

    public static float[] OneHot(float[] labels, int classes)
    {
        var t = new float[labels.Length * classes];
        for (int b = 0; b < labels.Length; b++)
        {
            t[(b * classes) + (int)labels[b]] = 1f;
        }

        return t;
    }

    /// <summary>∂reference/∂output by central differences in double, with a step relative to each value.</summary>
    public static double[] NumericGradient(Func<double[], float[], int, double> reference, float[] output, float[] targets, int batch)
    {
        double[] x = Array.ConvertAll(output, v => (double)v);
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double h = 1e-6 * Math.Max(Math.Abs(x[i]), 1e-2), keep = x[i];
            x[i] = keep + h;
            double up = reference(x, targets, batch);
            x[i] = keep - h;
            double down = reference(x, targets, batch);
            x[i] = keep;
            gradient[i] = (up - down) / (2 * h);
        }

        return gradient;
    }

    /// <summary>The float analytic gradient agrees with the double numeric one to 1e-4 relative, 1e-6 of the largest entry absolute.</summary>
    public static void AssertGradientsClose(double[] expected, float[] actual, string what)
    {
        double scale = 0;
        foreach (double g in expected)
        {
            scale = Math.Max(scale, Math.Abs(g));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = (1e-4 * Math.Abs(expected[i])) + (1e-6 * scale) + 1e-12;
            Assert.True(
                Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{what}: gradient[{i}] is {actual[i]:R}, central differences give {expected[i]:R} (tolerance {tolerance:G3}).");
        }
    }
}
