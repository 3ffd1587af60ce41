using System;

namespace NetGen.Kernels;

/// <summary>
/// Naive double-precision twins of the convolution, pooling and batch-normalization kernels: the test oracle and the
/// function that finite differences differentiate. Written straight from the definitions (every window cell visited,
/// padding by bounds test), sharing no code with the kernels. Never used on a hot path; no argument validation.
/// </summary>
internal static class ConvolutionReference
{
    /// <summary>z[b,oy,ox,f] = Σ_{ky,kx,c} x[b, oy·sh+ky−pt, ox·sw+kx−pl, c]·W[ky,kx,c,f], cells outside the input 0.</summary>
    public static void Conv2DForward(ReadOnlySpan<double> x, ReadOnlySpan<double> w, Span<double> z, Conv2DGeometry g, int filters, int batch)
    {
        double[] xa = x.ToArray(), wa = w.ToArray();
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        double sum = 0;
                        ForEachCell(g, b, oy, ox, (xAt, ky, kx) =>
                        {
                            for (int c = 0; c < g.Channels; c++)
                            {
                                sum += xa[xAt + c] * wa[KernelIndex(g, ky, kx, c, f, filters)];
                            }
                        });
                        z[OutputIndex(g, b, oy, ox, filters) + f] = sum;
                    }
                }
            }
        }
    }

    /// <summary>dW = Σ over windows of x·dz; dx = Σ over the windows covering each cell of W·dz (when dx is not empty).</summary>
    public static void Conv2DBackward(
        ReadOnlySpan<double> x, ReadOnlySpan<double> w, ReadOnlySpan<double> dz, Span<double> dw, Span<double> dx,
        Conv2DGeometry g, int filters, int batch)
    {
        dw[..(g.WindowLength * filters)].Clear();
        if (!dx.IsEmpty)
        {
            dx[..(batch * g.InputLength)].Clear();
        }

        double[] dwCopy = new double[g.WindowLength * filters];
        double[]? dxCopy = dx.IsEmpty ? null : new double[batch * g.InputLength];
        double[] xa = x.ToArray(), wa = w.ToArray(), dza = dz.ToArray();
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int zAt = OutputIndex(g, b, oy, ox, filters);
                    ForEachCell(g, b, oy, ox, (xAt, ky, kx) =>
                    {
                        for (int c = 0; c < g.Channels; c++)
                        {
                            for (int f = 0; f < filters; f++)
                            {
                                int k = KernelIndex(g, ky, kx, c, f, filters);
                                dwCopy[k] += xa[xAt + c] * dza[zAt + f];
                                if (dxCopy is not null)
                                {
                                    dxCopy[xAt + c] += wa[k] * dza[zAt + f];
                                }
                            }
                        }
                    });
                }
            }
        }

        dwCopy.CopyTo(dw);
        dxCopy?.CopyTo(dx);
    }

    /// <summary>y = the largest cell of each window (the first one on ties); argmax = its flat input index.</summary>
    public static void MaxPoolForward(ReadOnlySpan<double> x, Span<double> y, Span<int> argmax, Conv2DGeometry g, int batch)
    {
        double[] xa = x.ToArray();
        double[] ya = new double[batch * g.OutputPixels * g.Channels];
        int[] arg = new int[ya.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int yAt = OutputIndex(g, b, oy, ox, g.Channels);
                    for (int c = 0; c < g.Channels; c++)
                    {
                        double best = double.NegativeInfinity;
                        int winner = -1;
                        ForEachCell(g, b, oy, ox, (xAt, _, _) =>
                        {
                            if (winner < 0 || xa[xAt + c] > best)
                            {
                                best = xa[xAt + c];
                                winner = xAt + c;
                            }
                        });
                        ya[yAt + c] = best;
                        arg[yAt + c] = winner;
                    }
                }
            }
        }

        ya.CopyTo(y);
        arg.CopyTo(argmax);
    }

    /// <summary>dx[argmax[i]] += dy[i], from zero.</summary>
    public static void MaxPoolBackward(ReadOnlySpan<double> dy, ReadOnlySpan<int> argmax, Span<double> dx, Conv2DGeometry g, int batch)
    {
        dx[..(batch * g.InputLength)].Clear();
        for (int i = 0; i < batch * g.OutputPixels * g.Channels; i++)
        {
            dx[argmax[i]] += dy[i];
        }
    }

    /// <summary>y = mean of each window's cells inside the input (padded cells not counted).</summary>
    public static void AveragePoolForward(ReadOnlySpan<double> x, Span<double> y, Conv2DGeometry g, int batch)
    {
        double[] xa = x.ToArray();
        double[] ya = new double[batch * g.OutputPixels * g.Channels];
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int yAt = OutputIndex(g, b, oy, ox, g.Channels);
                    for (int c = 0; c < g.Channels; c++)
                    {
                        double sum = 0;
                        int count = 0;
                        ForEachCell(g, b, oy, ox, (xAt, _, _) =>
                        {
                            sum += xa[xAt + c];
                            count++;
                        });
                        ya[yAt + c] = sum / count;
                    }
                }
            }
        }

        ya.CopyTo(y);
    }

    /// <summary>dx = Σ over the windows covering each cell of dy / (that window's count).</summary>
    public static void AveragePoolBackward(ReadOnlySpan<double> dy, Span<double> dx, Conv2DGeometry g, int batch)
    {
        double[] dya = dy.ToArray();
        double[] dxa = new double[batch * g.InputLength];
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int yAt = OutputIndex(g, b, oy, ox, g.Channels);
                    int count = 0;
                    ForEachCell(g, b, oy, ox, (_, _, _) => count++);
                    ForEachCell(g, b, oy, ox, (xAt, _, _) =>
                    {
                        for (int c = 0; c < g.Channels; c++)
                        {
                            dxa[xAt + c] += dya[yAt + c] / count;
                        }
                    });
                }
            }
        }

        dxa.CopyTo(dx);
    }

    /// <summary>y[b, c] = mean over the sample's pixels of x[b, p, c].</summary>
    public static void GlobalAveragePoolForward(ReadOnlySpan<double> x, Span<double> y, int pixels, int channels, int batch)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                for (int p = 0; p < pixels; p++)
                {
                    sum += x[(((b * pixels) + p) * channels) + c];
                }

                y[(b * channels) + c] = sum / pixels;
            }
        }
    }

    /// <summary>dx[b, p, c] = dy[b, c] / pixels.</summary>
    public static void GlobalAveragePoolBackward(ReadOnlySpan<double> dy, Span<double> dx, int pixels, int channels, int batch)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int p = 0; p < pixels; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    dx[(((b * pixels) + p) * channels) + c] = dy[(b * channels) + c] / pixels;
                }
            }
        }
    }

    /// <summary>
    /// Batch normalization in training: batch mean and biased variance per channel, y = gamma·(x − mean)/√(var + ε) +
    /// beta, moving statistics moved by momentum; returns the mean and 1/√(var + ε) in <paramref name="mean"/> and
    /// <paramref name="inverseStd"/>.
    /// </summary>
    public static void BatchNormTraining(
        ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> movingMean, Span<double> movingVariance,
        double momentum, double epsilon, Span<double> y, Span<double> mean, Span<double> inverseStd, int rows, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += x[(r * channels) + c];
            }

            double mu = sum / rows, squares = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = x[(r * channels) + c] - mu;
                squares += d * d;
            }

            double variance = squares / rows, s = 1 / Math.Sqrt(variance + epsilon);
            mean[c] = mu;
            inverseStd[c] = s;
            movingMean[c] = (movingMean[c] * momentum) + (mu * (1 - momentum));
            movingVariance[c] = (movingVariance[c] * momentum) + (variance * (1 - momentum));
            for (int r = 0; r < rows; r++)
            {
                y[(r * channels) + c] = (gamma[c] * (x[(r * channels) + c] - mu) * s) + beta[c];
            }
        }
    }

    /// <summary>y = gamma·(x − movingMean)/√(movingVariance + ε) + beta.</summary>
    public static void BatchNormInference(
        ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> movingMean,
        ReadOnlySpan<double> movingVariance, double epsilon, Span<double> y, int rows, int channels)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < channels; c++)
            {
                y[(r * channels) + c] = (gamma[c] * (x[(r * channels) + c] - movingMean[c]) / Math.Sqrt(movingVariance[c] + epsilon)) + beta[c];
            }
        }
    }

    /// <summary>The batch-statistics gradients: dgamma = Σ dy·x̂, dbeta = Σ dy, dx = gamma·s/N·(N·dy − dbeta − x̂·dgamma).</summary>
    public static void BatchNormBackward(
        ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> mean, ReadOnlySpan<double> inverseStd,
        ReadOnlySpan<double> dy, Span<double> dgamma, Span<double> dbeta, Span<double> dx, int rows, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            double sumDy = 0, sumDyX = 0;
            for (int r = 0; r < rows; r++)
            {
                int at = (r * channels) + c;
                sumDy += dy[at];
                sumDyX += dy[at] * (x[at] - mean[c]) * inverseStd[c];
            }

            dgamma[c] = sumDyX;
            dbeta[c] = sumDy;
            if (dx.IsEmpty)
            {
                continue;
            }

            for (int r = 0; r < rows; r++)
            {
                int at = (r * channels) + c;
                double normalized = (x[at] - mean[c]) * inverseStd[c];
                dx[at] = gamma[c] * inverseStd[c] / rows * ((rows * dy[at]) - sumDy - (normalized * sumDyX));
            }
        }
    }

    private static int KernelIndex(Conv2DGeometry g, int ky, int kx, int c, int f, int filters) =>
        (((((ky * g.WindowWidth) + kx) * g.Channels) + c) * filters) + f;

    private static int OutputIndex(Conv2DGeometry g, int b, int oy, int ox, int channels) =>
        ((((b * g.OutputHeight) + oy) * g.OutputWidth) + ox) * channels;

    /// <summary>Calls <paramref name="visit"/>(flat index of channel 0, ky, kx) for each window cell inside the input.</summary>
    private static void ForEachCell(Conv2DGeometry g, int b, int oy, int ox, Action<int, int, int> visit)
    {
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            int iy = (oy * g.StrideHeight) + ky - g.PadTop;
            if (iy < 0 || iy >= g.InputHeight)
            {
                continue;
            }

            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                int ix = (ox * g.StrideWidth) + kx - g.PadLeft;
                if (ix < 0 || ix >= g.InputWidth)
                {
                    continue;
                }

                visit((((b * g.InputHeight) + iy) * g.InputWidth * g.Channels) + (ix * g.Channels), ky, kx);
            }
        }
    }
}
