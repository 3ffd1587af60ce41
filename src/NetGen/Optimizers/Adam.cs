using System;
using System.Numerics;

namespace NetGen.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), as Keras implements it: at step t (from 1),
/// m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², p −= α_t·m/(√v + ε) with α_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ)
/// (the bias corrections folded into the step size, and ε added outside the root, unscaled).
/// Keras's defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7. Slots: m and v, starting at 0, allocated on the first step.
/// </summary>
public sealed class Adam : Optimizer
{
    private float[]? _m;
    private float[]? _v;

    /// <summary>Creates the optimizer; the betas must be in [0, 1) and epsilon a finite number &gt; 0.</summary>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        Beta1 = InRange(beta1, 0f, 1f, nameof(beta1));
        Beta2 = InRange(beta2, 0f, 1f, nameof(beta2));
        Epsilon = Positive(epsilon, nameof(epsilon));
    }

    /// <summary>Decay rate of the first-moment estimate.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second-moment estimate.</summary>
    public float Beta2 { get; }

    /// <summary>Added to √v for numerical stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _m = null;
        _v = null;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        Span<float> m = Slot(ref _m, parameters.Length);
        Span<float> v = Slot(ref _v, parameters.Length);
        float b1 = Beta1, b2 = Beta2, c1 = 1f - b1, c2 = 1f - b2, eps = Epsilon;
        float alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(b2, step)) / (1 - Math.Pow(b1, step)));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vB1 = new(b1), vB2 = new(b2), vC1 = new(c1), vC2 = new(c2), vEps = new(eps), vAlpha = new(alpha);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> mi = (vB1 * new Vector<float>(m[i..])) + (vC1 * g);
                Vector<float> vi = (vB2 * new Vector<float>(v[i..])) + (vC2 * g * g);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (new Vector<float>(parameters[i..]) - (vAlpha * mi / (Vector.SquareRoot(vi) + vEps))).CopyTo(parameters[i..]);
            }
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float mi = m[i] = (b1 * m[i]) + (c1 * g);
            float vi = v[i] = (b2 * v[i]) + (c2 * g * g);
            parameters[i] -= alpha * mi / (MathF.Sqrt(vi) + eps);
        }
    }
}
