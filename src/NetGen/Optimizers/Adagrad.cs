using System;
using System.Numerics;
using System.Runtime.CompilerServices;

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

    /// <inheritdoc/>
    internal override float[][] StateSlots => _accumulator is null ? [] : [_accumulator];

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        int n = parameters.Length;
        Span<float> acc = Slot(ref _accumulator, n, InitialAccumulatorValue);
        float lr = LearningRate, eps = Epsilon;

        // The accumulator never falls below its start, so with a start of 2⁻¹⁰² or more, tiny gradients' g² (subnormal,
        // slow) rounds away and can be left out (SquareCutoff); a start of 0 keeps every term.
        float cutoff = SquareCutoff(1f, InitialAccumulatorValue, InitialAccumulatorValue > 0f ? null : 0f);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vLr = new(lr), vEps = new(eps), vCutoff = new(cutoff);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> gs = Vector.AndNot(g, Vector.LessThan(Vector.Abs(g), vCutoff).As<int, float>());
                Vector<float> ai = new Vector<float>(acc[i..]) + (gs * gs);
                ai.CopyTo(acc[i..]);
                (new Vector<float>(parameters[i..]) - (vLr * g / Vector.SquareRoot(ai + vEps))).CopyTo(parameters[i..]);
            }
        }

        for (; i < n; i++)
        {
            float g = gradients[i];
            float gs = MathF.Abs(g) < cutoff ? 0f : g;
            float ai = acc[i] += gs * gs;
            parameters[i] -= lr * g / MathF.Sqrt(ai + eps);
        }
    }
}
