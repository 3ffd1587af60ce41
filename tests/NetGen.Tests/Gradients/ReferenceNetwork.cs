using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Tests.Gradients;

/// <summary>
/// A deliberately naive double-precision evaluation of any generated network, built only from its
/// <see cref="NetworkInfo"/>: the oracle that the generated float code is checked against.
/// </summary>
internal static partial class ReferenceNetwork
{
    /// <summary>The network's outputs (after the output activation) for <paramref name="batch"/> samples.</summary>
    public static double[] Forward(NetworkInfo info, double[] parameters, double[] x, int batch, out double[] logits, ReferenceWindows? windows = null)
    {
        double[] a = x;
        logits = x;
        IReadOnlyList<int> shape = info.InputShape;
        foreach (LayerInfo layer in info.Layers)
        {
            IReadOnlyList<int> input = shape;
            shape = layer.OutputShape;
            if (ForwardSpatial(info, layer, input, parameters, a, batch, windows) is { } spatial)
            {
                a = spatial;
                continue;
            }

            if (layer.Kind == LayerKind.Normalization)
            {
                int f = layer.InputSize;
                int meanAt = layer.ParameterOffset, varianceAt = meanAt + f;
                a = a.Select((v, i) => (v - parameters[meanAt + (i % f)]) / Math.Max(Math.Sqrt(parameters[varianceAt + (i % f)]), 1e-7)).ToArray();
                continue;
            }

            if (layer.Kind == LayerKind.Activation)
            {
                a = Activate(layer, a, batch, layer.OutputShape[^1]); // softmax over the last dimension
                continue;
            }

            if (layer.Kind != LayerKind.Dense)
            {
                continue; // Flatten is a reshape; Dropout is the identity outside training.
            }

            int n = layer.InputSize, m = layer.OutputSize;
            var z = new double[batch * m];
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < m; j++)
                {
                    double sum = parameters[layer.ParameterOffset + (n * m) + j];
                    for (int i = 0; i < n; i++)
                    {
                        sum += a[(b * n) + i] * parameters[layer.ParameterOffset + (i * m) + j];
                    }

                    z[(b * m) + j] = sum;
                }
            }

            logits = z;
            a = Activate(layer, z, batch, m);
        }

        return a;
    }

    /// <summary>The mean loss, as Keras defines it, computed in double: the data loss plus the kernels' L2 penalties.</summary>
    public static double Loss(NetworkInfo info, double[] parameters, double[] x, double[] t, int batch, ReferenceWindows? windows = null) =>
        DataLoss(info, parameters, x, t, batch, windows) + Penalty(info, parameters);

    /// <summary>Keras adds each kernel regularizer's L2·Σw² to the data loss, once per batch (not weighted per sample).</summary>
    public static double Penalty(NetworkInfo info, double[] parameters)
    {
        double penalty = 0;
        foreach (TensorInfo tensor in info.Tensors)
        {
            if (tensor.Name.EndsWith(".kernel", StringComparison.Ordinal))
            {
                penalty += tensor.L2 * parameters.AsSpan(tensor.Offset, tensor.Length).ToArray().Sum(w => w * w);
            }
        }

        return penalty;
    }

    /// <summary>The mean data loss of the batch, without the penalties.</summary>
    public static double DataLoss(NetworkInfo info, double[] parameters, double[] x, double[] t, int batch, ReferenceWindows? windows = null)
    {
        double[] p = Forward(info, parameters, x, batch, out double[] z, windows);
        int k = info.OutputSize;
        const double eps = 1e-7;
        switch (info.Loss)
        {
            case NetGen.Loss.MeanSquaredError:
                return p.Select((v, i) => (v - t[i]) * (v - t[i])).Average();
            case NetGen.Loss.MeanAbsoluteError:
                return p.Select((v, i) => Math.Abs(v - t[i])).Average();
            case NetGen.Loss.BinaryCrossEntropy when info.OutputActivation == Activation.Sigmoid:
                return z.Select((v, i) => Math.Max(v, 0) - (v * t[i]) + Math.Log(1 + Math.Exp(-Math.Abs(v)))).Average();
            case NetGen.Loss.BinaryCrossEntropy:
                return p.Select((v, i) => Clip(v, eps)).Select((v, i) => -((t[i] * Math.Log(v)) + ((1 - t[i]) * Math.Log(1 - v)))).Average();
            case NetGen.Loss.CategoricalCrossEntropy:
            case NetGen.Loss.SparseCategoricalCrossEntropy:
                double sum = 0;
                for (int b = 0; b < batch; b++)
                {
                    // Keras rescales probabilities to sum to 1 per sample before the clipped log.
                    double rowSum = p.AsSpan(b * k, k).ToArray().Sum();
                    for (int c = 0; c < k; c++)
                    {
                        double target = info.Loss == NetGen.Loss.SparseCategoricalCrossEntropy ? (t[b] == c ? 1 : 0) : t[(b * k) + c];
                        double logP = info.OutputActivation == Activation.Softmax
                            ? z[(b * k) + c] - LogSumExp(z.AsSpan(b * k, k))
                            : Math.Log(Clip(p[(b * k) + c] / rowSum, eps));
                        sum -= target * logP;
                    }
                }

                return sum / batch;
            default:
                throw new NotSupportedException(info.Loss.ToString());
        }
    }

    /// <summary>The layer's activation over <paramref name="z"/>: <paramref name="rows"/> rows of <paramref name="m"/> values (softmax is per row).</summary>
    private static double[] Activate(LayerInfo layer, double[] z, int rows, int m)
    {
        int batch = rows;
        switch (layer.Activation)
        {
            case Activation.Linear: return z;
            case Activation.Sigmoid: return z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
            case Activation.Tanh: return z.Select(Math.Tanh).ToArray();
            case Activation.ReLU: return z.Select(v => Math.Max(v, 0)).ToArray();
            case Activation.LeakyReLU: return z.Select(v => v > 0 ? v : layer.Alpha * v).ToArray();
            case Activation.Softmax:
                var a = new double[z.Length];
                for (int b = 0; b < batch; b++)
                {
                    double lse = LogSumExp(z.AsSpan(b * m, m));
                    for (int j = 0; j < m; j++)
                    {
                        a[(b * m) + j] = Math.Exp(z[(b * m) + j] - lse);
                    }
                }

                return a;
            default: throw new NotSupportedException(layer.Activation.ToString());
        }
    }

    private static double Clip(double p, double eps) => Math.Clamp(p, eps, 1 - eps);

    private static double LogSumExp(ReadOnlySpan<double> z)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
