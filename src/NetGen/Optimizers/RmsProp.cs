using System;

using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// RMSprop (Hinton), exactly as Keras implements it:
/// v = ρ·v + (1 − ρ)·g²; with <see cref="Centered"/> also a = ρ·a + (1 − ρ)·g and d = v − a² + ε, else d = v + ε;
/// Δ = lr·g/√d; then p −= Δ, or with momentum μ &gt; 0: s = μ·s + Δ, p −= s.
/// Note that ε sits inside the root (Keras's and TensorFlow's form; PyTorch adds it outside, as √v + ε).
/// Keras's defaults: lr 0.001, ρ 0.9, momentum 0, ε 1e-7, not centered.
/// Slots, starting at 0 and allocated on the first step: v, plus s with momentum and a when centered.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private float[]? _velocity;
    private float[]? _momentum;
    private float[]? _average;

    /// <summary>Creates the optimizer; rho and momentum must be in [0, 1), epsilon a finite number &gt; 0.</summary>
    public RmsProp(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false)
        : base(learningRate)
    {
        Rho = InRange(rho, 0f, 1f, nameof(rho));
        Momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        Epsilon = Positive(epsilon, nameof(epsilon));
        Centered = centered;
    }

    /// <summary>Discount factor of the running mean of g² (and of g when centered).</summary>
    public float Rho { get; }

    /// <summary>Momentum applied to the scaled steps; 0 for none.</summary>
    public float Momentum { get; }

    /// <summary>Added to the mean square under the root for numerical stability.</summary>
    public float Epsilon { get; }

    /// <summary>Whether steps are normalized by the estimated variance of g (v − a²) rather than its second moment v.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _velocity = null;
        _momentum = null;
        _average = null;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        int n = parameters.Length;
        Span<float> v = Slot(ref _velocity, n);
        Span<float> s = Momentum > 0f ? Slot(ref _momentum, n) : default;
        Span<float> a = Centered ? Slot(ref _average, n) : default;
        UpdateLoop.Run(new RmsPropRule(LearningRate, Rho, Momentum, Epsilon, Centered), parameters, gradients, v, s, a);
    }
}

/// <summary>
/// Keras's RMSprop: v = ρ·v + (1 − ρ)·g·g; with <c>centered</c> a = ρ·a + (1 − ρ)·g and the denominator uses v − a²;
/// δ = lr·g / √(denominator + ε); with momentum s = μ·s + δ and p −= s, else p −= δ.
/// </summary>
internal readonly struct RmsPropRule(float learningRate, float rho, float momentum, float epsilon, bool centered) : IUpdateRule
{
    private readonly float _lr = learningRate, _rho = rho, _c = 1f - rho, _mu = momentum, _eps = epsilon;
    private readonly bool _momentum = momentum > 0f, _centered = centered;

    public void Apply<TOps, TVec>(ref TVec p, TVec g, ref TVec v, ref TVec s, ref TVec a)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        TVec rho = TOps.Broadcast(_rho), c = TOps.Broadcast(_c);
        v = TOps.Add(TOps.Multiply(rho, v), TOps.Multiply(TOps.Multiply(c, g), g));
        TVec denominator;
        if (_centered)
        {
            a = TOps.Add(TOps.Multiply(rho, a), TOps.Multiply(c, g));
            denominator = TOps.Add(TOps.Subtract(v, TOps.Multiply(a, a)), TOps.Broadcast(_eps));
        }
        else
        {
            denominator = TOps.Add(v, TOps.Broadcast(_eps));
        }

        TVec delta = TOps.Divide(TOps.Multiply(TOps.Broadcast(_lr), g), TOps.Sqrt(denominator));
        if (_momentum)
        {
            delta = TOps.Add(TOps.Multiply(TOps.Broadcast(_mu), s), delta);
            s = delta;
        }

        p = TOps.Subtract(p, delta);
    }
}
