using System;
using System.Numerics;

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
        bool momentum = Momentum > 0f, centered = Centered;
        float lr = LearningRate, rho = Rho, c = 1f - rho, mu = Momentum, eps = Epsilon;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vLr = new(lr), vRho = new(rho), vC = new(c), vMu = new(mu), vEps = new(eps);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> vi = (vRho * new Vector<float>(v[i..])) + (vC * g * g);
                vi.CopyTo(v[i..]);
                Vector<float> d;
                if (centered)
                {
                    Vector<float> ai = (vRho * new Vector<float>(a[i..])) + (vC * g);
                    ai.CopyTo(a[i..]);
                    d = vi - (ai * ai) + vEps;
                }
                else
                {
                    d = vi + vEps;
                }

                Vector<float> delta = vLr * g / Vector.SquareRoot(d);
                if (momentum)
                {
                    delta = (vMu * new Vector<float>(s[i..])) + delta;
                    delta.CopyTo(s[i..]);
                }

                (new Vector<float>(parameters[i..]) - delta).CopyTo(parameters[i..]);
            }
        }

        for (; i < n; i++)
        {
            float g = gradients[i];
            float vi = v[i] = (rho * v[i]) + (c * g * g);
            float d;
            if (centered)
            {
                float ai = a[i] = (rho * a[i]) + (c * g);
                d = vi - (ai * ai) + eps;
            }
            else
            {
                d = vi + eps;
            }

            float delta = lr * g / MathF.Sqrt(d);
            if (momentum)
            {
                delta = s[i] = (mu * s[i]) + delta;
            }

            parameters[i] -= delta;
        }
    }
}
