using System;

using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// Adagrad (Duchi et al.), exactly as Keras implements it: acc += g², p −= lr·g/√(acc + ε), with the accumulator
/// starting at <see cref="InitialAccumulatorValue"/>. Note that ε sits inside the root (Keras's form; PyTorch adds it
/// outside, as √acc + ε). Keras's defaults: lr 0.001, initial accumulator 0.1, ε 1e-7.
/// Slot: the accumulator, allocated on the first step.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private float[]? _accumulator;

    /// <summary>Creates the optimizer; the initial accumulator value must be a finite number &gt;= 0, epsilon a finite number &gt; 0.</summary>
    public Adagrad(float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        InitialAccumulatorValue = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = Positive(epsilon, nameof(epsilon));
    }

    /// <summary>The value every accumulator starts from.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>Added to the accumulator under the root for numerical stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _accumulator = null;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        Span<float> acc = Slot(ref _accumulator, parameters.Length, InitialAccumulatorValue);
        UpdateLoop.Run(new AdagradRule(LearningRate, Epsilon), parameters, gradients, acc);
    }
}

/// <summary>Keras's Adagrad: acc += g·g; p −= lr·g / √(acc + ε).</summary>
internal readonly struct AdagradRule(float learningRate, float epsilon) : IUpdateRule
{
    private readonly float _lr = learningRate, _eps = epsilon;

    public void Apply<TOps, TVec>(ref TVec p, TVec g, ref TVec acc, ref TVec unused1, ref TVec unused2)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        acc = TOps.Add(acc, TOps.Multiply(g, g));
        p = TOps.Subtract(p, TOps.Divide(TOps.Multiply(TOps.Broadcast(_lr), g), TOps.Sqrt(TOps.Add(acc, TOps.Broadcast(_eps)))));
    }
}
