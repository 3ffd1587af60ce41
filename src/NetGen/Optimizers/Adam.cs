using System;

using NetGen.Kernels;

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
        float alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
        UpdateLoop.Run(new AdamRule(Beta1, Beta2, Epsilon, alpha), parameters, gradients, m, v);
    }
}

/// <summary>m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g·g; p −= α·m / (√v + ε), α bias-corrected per step.</summary>
internal readonly struct AdamRule(float beta1, float beta2, float epsilon, float alpha) : IUpdateRule
{
    private readonly float _b1 = beta1, _b2 = beta2, _c1 = 1f - beta1, _c2 = 1f - beta2, _eps = epsilon, _alpha = alpha;

    public void Apply<TOps, TVec>(ref TVec p, TVec g, ref TVec m, ref TVec v, ref TVec unused)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        m = TOps.Add(TOps.Multiply(TOps.Broadcast(_b1), m), TOps.Multiply(TOps.Broadcast(_c1), g));
        v = TOps.Add(TOps.Multiply(TOps.Broadcast(_b2), v), TOps.Multiply(TOps.Multiply(TOps.Broadcast(_c2), g), g));
        p = TOps.Subtract(p, TOps.Divide(TOps.Multiply(TOps.Broadcast(_alpha), m), TOps.Add(TOps.Sqrt(v), TOps.Broadcast(_eps))));
    }
}
