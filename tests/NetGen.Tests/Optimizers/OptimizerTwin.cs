using System;
using System.Collections.Generic;
using NetGen.Optimizers;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// The scalar reference twin of the built-in optimizers: each rule written out in float, one element at a time, in
/// the operation order the optimizers document (no fused operations), with the base class's clipping and decay in
/// front. Every SIMD tier must match it bit for bit. Only the flush floors and the g² cutoff are taken from the product
/// (their derivation is tested on its own in SquareCutoffTests and MomentFloorTests).
/// </summary>
internal sealed class OptimizerTwin
{
    private readonly string _rule;
    private readonly float _lr, _a, _b, _eps, _wd;
    private readonly float? _clipNorm, _clipValue, _globalClipNorm;
    private readonly bool _flag1, _flag2;
    private readonly List<(int Start, int Length, bool Kernel)> _tensors;
    private float[] _s0 = [], _s1 = [], _s2 = [];
    private long _t;

    /// <param name="rule">sgd, momentum, nesterov, adam, rmsprop, adagrad.</param>
    /// <param name="a">β1, ρ, momentum or the initial accumulator.</param>
    /// <param name="b">β2 or RMSprop's momentum.</param>
    public OptimizerTwin(string rule, float lr, float a, float b, float eps, bool flag1, bool flag2,
        float wd, float? clipNorm, float? clipValue, float? globalClipNorm, List<(int Start, int Length, bool Kernel)> tensors)
    {
        (_rule, _lr, _a, _b, _eps, _flag1, _flag2, _wd) = (rule, lr, a, b, eps, flag1, flag2, wd);
        (_clipNorm, _clipValue, _globalClipNorm, _tensors) = (clipNorm, clipValue, globalClipNorm, tensors);
    }

    public void Step(float[] p, float[] gradients)
    {
        int n = p.Length;
        if (_t++ == 0)
        {
            _s0 = new float[n];
            _s1 = new float[n];
            _s2 = new float[n];
            if (_rule == "adagrad")
            {
                Array.Fill(_s0, _a);
            }
        }

        float[] g = (float[])gradients.Clone();
        double global = 0;
        foreach ((int start, int length, _) in _tensors)
        {
            global += SumOfSquares(g, start, length);
        }

        foreach ((int start, int length, bool kernel) in _tensors)
        {
            float scale = 1f;
            double sum = _clipNorm is not null ? SumOfSquares(g, start, length) : global;
            float? limitNorm = _clipNorm ?? _globalClipNorm;
            if (limitNorm is { } c && Math.Sqrt(sum) > c)
            {
                scale = (float)(c / Math.Sqrt(sum));
            }

            for (int i = start; i < start + length; i++)
            {
                if (limitNorm is not null)
                {
                    g[i] *= scale;
                }

                if (_clipValue is { } cv)
                {
                    g[i] = Math.Clamp(g[i], -cv, cv);
                }

                if (kernel && _wd > 0f)
                {
                    p[i] -= p[i] * _wd * _lr;
                }

                p[i] = Rule(p[i], g[i], i);
            }
        }
    }

    private float Rule(float p, float g, int i)
    {
        const float tiny = Optimizer.StateFloor;
        switch (_rule)
        {
            case "sgd":
                return p - (_lr * g);
            case "momentum":
            case "nesterov":
            {
                float v = (_a * _s0[i]) - (_lr * g);
                v = _s0[i] = MathF.Abs(v) < tiny ? 0f : v;
                return p + (_rule == "nesterov" ? (_a * v) - (_lr * g) : v);
            }

            case "adam":
            {
                float tinyV = (float)Math.Min(tiny, (double)_eps * _eps * 1e-12);
                float cutoff = Optimizer.SquareCutoff(1f - _b, _b * tinyV, tinyV);
                float alpha = (float)(_lr * Math.Sqrt(1 - Math.Pow(_b, _t)) / (1 - Math.Pow(_a, _t)));
                float m = (_a * _s0[i]) + ((1f - _a) * g);
                float gs = MathF.Abs(g) < cutoff ? 0f : g;
                float v = (_b * _s1[i]) + ((1f - _b) * gs * gs);
                m = _s0[i] = MathF.Abs(m) < tiny ? 0f : m;
                v = _s1[i] = v < tinyV ? 0f : v;
                return p - (alpha * m / (MathF.Sqrt(v) + _eps));
            }

            case "rmsprop":
            {
                float rho = _a, c = 1f - rho, tinyV = (float)Math.Min(tiny, _eps * 1e-7);
                float cutoff = Optimizer.SquareCutoff(c, rho * tinyV, tinyV);
                float gs = MathF.Abs(g) < cutoff ? 0f : g;
                float v = (rho * _s0[i]) + (c * gs * gs);
                v = _s0[i] = v < tinyV ? 0f : v;
                float d;
                if (_flag1)
                {
                    float a = (rho * _s2[i]) + (c * g);
                    a = _s2[i] = MathF.Abs(a) < tiny ? 0f : a;
                    d = v - (a * a) + _eps;
                }
                else
                {
                    d = v + _eps;
                }

                float delta = _lr * g / MathF.Sqrt(d);
                if (_flag2)
                {
                    delta = (_b * _s1[i]) + delta;
                    delta = _s1[i] = MathF.Abs(delta) < tiny ? 0f : delta;
                }

                return p - delta;
            }

            case "adagrad":
            {
                float cutoff = Optimizer.SquareCutoff(1f, _a, _a > 0f ? null : 0f);
                float gs = MathF.Abs(g) < cutoff ? 0f : g;
                float acc = _s0[i] += gs * gs;
                return p - (_lr * g / MathF.Sqrt(acc + _eps));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(_rule), _rule, null);
        }
    }

    /// <summary>Σg² in double in the product's documented order: eight lane sums (element i in lane i mod 8), added in lane order, then the tail.</summary>
    private static double SumOfSquares(float[] g, int start, int length)
    {
        var lanes = new double[8];
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            for (int lane = 0; lane < 8; lane++)
            {
                lanes[lane] += (double)g[start + i + lane] * g[start + i + lane];
            }
        }

        double sum = 0;
        foreach (double lane in lanes)
        {
            sum += lane;
        }

        for (; i < length; i++)
        {
            sum += (double)g[start + i] * g[start + i];
        }

        return sum;
    }
}
