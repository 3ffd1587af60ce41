using System;
using System.Numerics;
using System.Numerics.Tensors;

using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum, as Keras defines them:
/// without momentum p −= lr·g; with it v = momentum·v − lr·g, then p += v, or with Nesterov p += momentum·v − lr·g
/// (using the v just updated). Keras's defaults: lr 0.01, momentum 0, no Nesterov (which has no effect without momentum).
/// Slot: the velocity v, starting at 0, allocated on the first step that needs it.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[]? _velocity;

    /// <summary>Creates the optimizer; <paramref name="momentum"/> must be in [0, 1).</summary>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false)
        : base(learningRate)
    {
        Momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        Nesterov = nesterov;
    }

    /// <summary>The momentum factor in [0, 1).</summary>
    public float Momentum { get; }

    /// <summary>Whether the Nesterov look-ahead is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _velocity = null;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        float lr = LearningRate, mu = Momentum;
        if (mu == 0f)
        {
            TensorPrimitives.MultiplyAdd(gradients, -lr, parameters, parameters);
            return;
        }

        Span<float> v = Slot(ref _velocity, parameters.Length);
        UpdateLoop.Run(new MomentumRule(lr, mu, Nesterov), parameters, gradients, v);
    }
}

/// <summary>Keras's momentum: v = μ·v − lr·g; p += v, or with Nesterov p += μ·v − lr·g.</summary>
internal readonly struct MomentumRule(float learningRate, float momentum, bool nesterov) : IUpdateRule
{
    private readonly float _lr = learningRate, _mu = momentum;
    private readonly bool _nesterov = nesterov;

    public void Apply<TOps, TVec>(ref TVec p, TVec g, ref TVec v, ref TVec unused1, ref TVec unused2)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        TVec mu = TOps.Broadcast(_mu), step = TOps.Multiply(TOps.Broadcast(_lr), g);
        v = TOps.Subtract(TOps.Multiply(mu, v), step);
        p = TOps.Add(p, _nesterov ? TOps.Subtract(TOps.Multiply(mu, v), step) : v);
    }
}
