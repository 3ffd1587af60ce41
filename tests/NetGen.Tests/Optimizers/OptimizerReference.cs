using System;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// The documented update rules, written again in double straight from Keras's formulas, one parameter vector at a
/// time. The float optimizers must track these closely over a few steps.
/// </summary>
internal static class OptimizerReference
{
    public static double[][] Gradients(int steps, int length, int seed)
    {
        var rng = new Random(seed);
        var g = new double[steps][];
        for (int s = 0; s < steps; s++)
        {
            // Floats, so the float optimizer and the reference see exactly the same gradients.
            g[s] = new double[length];
            for (int i = 0; i < length; i++)
            {
                g[s][i] = (float)((rng.NextDouble() * 4) - 2);
            }
        }

        return g;
    }

    public static double[] Sgd(double[] p0, double[][] grads, double lr, double momentum, bool nesterov)
    {
        double[] p = (double[])p0.Clone(), v = new double[p.Length];
        foreach (double[] g in grads)
        {
            for (int i = 0; i < p.Length; i++)
            {
                if (momentum == 0)
                {
                    p[i] -= lr * g[i];
                    continue;
                }

                v[i] = (momentum * v[i]) - (lr * g[i]);
                p[i] += nesterov ? (momentum * v[i]) - (lr * g[i]) : v[i];
            }
        }

        return p;
    }

    public static double[] Adam(double[] p0, double[][] grads, double lr, double beta1, double beta2, double epsilon)
    {
        double[] p = (double[])p0.Clone(), m = new double[p.Length], v = new double[p.Length];
        for (int t = 1; t <= grads.Length; t++)
        {
            double[] g = grads[t - 1];
            for (int i = 0; i < p.Length; i++)
            {
                // The textbook form with explicit bias-corrected moments and ε̂ = ε·√(1 − β2ᵗ): algebraically the
                // same step as Keras's lr·√(1 − β2ᵗ)/(1 − β1ᵗ)·m/(√v + ε).
                m[i] = (beta1 * m[i]) + ((1 - beta1) * g[i]);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g[i] * g[i]);
                double mHat = m[i] / (1 - Math.Pow(beta1, t)), vHat = v[i] / (1 - Math.Pow(beta2, t));
                double epsilonHat = epsilon / Math.Sqrt(1 - Math.Pow(beta2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + epsilonHat);
            }
        }

        return p;
    }

    public static double[] RmsProp(double[] p0, double[][] grads, double lr, double rho, double momentum, double epsilon, bool centered)
    {
        double[] p = (double[])p0.Clone(), v = new double[p.Length], s = new double[p.Length], a = new double[p.Length];
        foreach (double[] g in grads)
        {
            for (int i = 0; i < p.Length; i++)
            {
                v[i] = (rho * v[i]) + ((1 - rho) * g[i] * g[i]);
                a[i] = (rho * a[i]) + ((1 - rho) * g[i]);
                double denominator = centered ? v[i] - (a[i] * a[i]) + epsilon : v[i] + epsilon;
                double step = lr * g[i] / Math.Sqrt(denominator);
                s[i] = (momentum * s[i]) + step;
                p[i] -= momentum > 0 ? s[i] : step;
            }
        }

        return p;
    }

    public static double[] Adagrad(double[] p0, double[][] grads, double lr, double initial, double epsilon)
    {
        double[] p = (double[])p0.Clone(), acc = new double[p.Length];
        Array.Fill(acc, initial);
        foreach (double[] g in grads)
        {
            for (int i = 0; i < p.Length; i++)
            {
                acc[i] += g[i] * g[i];
                p[i] -= lr * g[i] / Math.Sqrt(acc[i] + epsilon);
            }
        }

        return p;
    }
}
