using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Tests.Gradients;

/// <summary>
/// What <see cref="NetworkInfo"/> does not say of a layer and the reference needs: a Conv2D or pooling window (size,
/// strides, same padding) or a BatchNormalization's epsilon. The test states it as its model declares it.
/// </summary>
internal sealed record ReferenceLayer(int Height = 0, int Width = 0, int StrideHeight = 1, int StrideWidth = 1, bool Same = false, double Epsilon = 1e-3);

/// <summary>The <see cref="ReferenceLayer"/>s of a model, by layer name.</summary>
internal sealed class ReferenceWindows : Dictionary<string, ReferenceLayer>
{
}

/// <summary>
/// The reference's Conv2D, pooling and BatchNormalization (training mode: batch statistics), written from their
/// definitions, in double, one output value at a time: no im2col, no shared code with the kernels.
/// </summary>
internal static partial class ReferenceNetwork
{
    private static double[]? ForwardSpatial(NetworkInfo info, LayerInfo layer, IReadOnlyList<int> input, double[] parameters, double[] x, int batch, ReferenceWindows? windows)
    {
        switch (layer.Kind)
        {
            case LayerKind.Conv2D:
            {
                ReferenceLayer w = windows![layer.Name];
                TensorInfo kernel = Tensor(info, layer.Name + ".kernel"), bias = Tensor(info, layer.Name + ".bias");
                int h = input[0], wd = input[1], c = input[2], f = layer.OutputShape[2];
                (int oh, int top) = Axis(h, w.Height, w.StrideHeight, w.Same);
                (int ow, int left) = Axis(wd, w.Width, w.StrideWidth, w.Same);
                var z = new double[batch * oh * ow * f];
                for (int b = 0; b < batch; b++)
                {
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            for (int k = 0; k < f; k++)
                            {
                                double sum = parameters[bias.Offset + k];
                                for (int ky = 0; ky < w.Height; ky++)
                                {
                                    for (int kx = 0; kx < w.Width; kx++)
                                    {
                                        int iy = (oy * w.StrideHeight) + ky - top, ix = (ox * w.StrideWidth) + kx - left;
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                                        {
                                            continue; // zero padding
                                        }

                                        for (int ch = 0; ch < c; ch++)
                                        {
                                            sum += x[(((((b * h) + iy) * wd) + ix) * c) + ch] * parameters[kernel.Offset + (((((ky * w.Width) + kx) * c) + ch) * f) + k];
                                        }
                                    }
                                }

                                z[(((((b * oh) + oy) * ow) + ox) * f) + k] = sum;
                            }
                        }
                    }
                }

                return Activate(layer, z, batch * oh * ow, f);
            }

            case LayerKind.MaxPooling2D or LayerKind.AveragePooling2D:
            {
                ReferenceLayer w = windows![layer.Name];
                int h = input[0], wd = input[1], c = input[2];
                (int oh, int top) = Axis(h, w.Height, w.StrideHeight, w.Same);
                (int ow, int left) = Axis(wd, w.Width, w.StrideWidth, w.Same);
                var y = new double[batch * oh * ow * c];
                for (int b = 0; b < batch; b++)
                {
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            for (int ch = 0; ch < c; ch++)
                            {
                                // Padded cells take no part: never the maximum, not in the average's count (Keras).
                                var cells = new List<double>();
                                for (int ky = 0; ky < w.Height; ky++)
                                {
                                    for (int kx = 0; kx < w.Width; kx++)
                                    {
                                        int iy = (oy * w.StrideHeight) + ky - top, ix = (ox * w.StrideWidth) + kx - left;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                                        {
                                            cells.Add(x[(((((b * h) + iy) * wd) + ix) * c) + ch]);
                                        }
                                    }
                                }

                                y[(((((b * oh) + oy) * ow) + ox) * c) + ch] = layer.Kind == LayerKind.MaxPooling2D ? cells.Max() : cells.Average();
                            }
                        }
                    }
                }

                return y;
            }

            case LayerKind.GlobalAveragePooling2D:
            {
                int pixels = input[0] * input[1], c = input[2];
                var y = new double[batch * c];
                for (int b = 0; b < batch; b++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        for (int p = 0; p < pixels; p++)
                        {
                            sum += x[(((b * pixels) + p) * c) + ch];
                        }

                        y[(b * c) + ch] = sum / pixels;
                    }
                }

                return y;
            }

            case LayerKind.BatchNormalization:
            {
                // Training mode: the batch's mean and biased variance over every row (sample and position), per channel.
                double epsilon = windows is not null && windows.TryGetValue(layer.Name, out ReferenceLayer? settings) ? settings.Epsilon : 1e-3;
                TensorInfo gamma = Tensor(info, layer.Name + ".gamma"), beta = Tensor(info, layer.Name + ".beta");
                int c = input[^1], rows = x.Length / c;
                var y = new double[x.Length];
                for (int ch = 0; ch < c; ch++)
                {
                    double mean = 0, variance = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        mean += x[(r * c) + ch];
                    }

                    mean /= rows;
                    for (int r = 0; r < rows; r++)
                    {
                        variance += (x[(r * c) + ch] - mean) * (x[(r * c) + ch] - mean);
                    }

                    variance /= rows;
                    for (int r = 0; r < rows; r++)
                    {
                        y[(r * c) + ch] = (parameters[gamma.Offset + ch] * (x[(r * c) + ch] - mean) / Math.Sqrt(variance + epsilon)) + parameters[beta.Offset + ch];
                    }
                }

                return y;
            }

            default:
                return null;
        }
    }

    /// <summary>One axis: the output length and the padding before it, TensorFlow's 'SAME' (⌈n / s⌉, the smaller half first) or 'VALID'.</summary>
    private static (int Output, int Before) Axis(int n, int k, int s, bool same)
    {
        if (!same)
        {
            return (((n - k) / s) + 1, 0);
        }

        int output = (n + s - 1) / s;
        return (output, Math.Max(((output - 1) * s) + k - n, 0) / 2);
    }

    private static TensorInfo Tensor(NetworkInfo info, string name) => info.Tensors.Single(t => t.Name == name);
}
