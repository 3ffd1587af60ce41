using System;

namespace NetGen.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), as Keras implements it: m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g²,
/// p −= lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε). Keras's defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7.
/// </summary>
public sealed class Adam : Optimizer
{
    private float[]? _m;
    private float[]? _v;

    /// <summary>Creates the optimizer.</summary>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        Beta1 = InRange(beta1, 0f, 1f, nameof(beta1));
        Beta2 = InRange(beta2, 0f, 1f, nameof(beta2));
        Epsilon = epsilon > 0f ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be > 0, received {epsilon}.");
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
        float b1 = Beta1, b2 = Beta2, eps = Epsilon;
        float alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(b2, step)) / (1 - Math.Pow(b1, step)));
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float mi = m[i] = (b1 * m[i]) + ((1f - b1) * g);
            float vi = v[i] = (b2 * v[i]) + ((1f - b2) * g * g);
            parameters[i] -= alpha * mi / (MathF.Sqrt(vi) + eps);
        }
    }
}
