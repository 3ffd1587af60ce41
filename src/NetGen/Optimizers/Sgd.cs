using System;
using System.Numerics;
using System.Numerics.Tensors;

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
        bool nesterov = Nesterov;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vMu = new Vector<float>(mu);
            var vLr = new Vector<float>(lr);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> vi = (vMu * new Vector<float>(v[i..])) - (vLr * g);
                vi.CopyTo(v[i..]);
                Vector<float> delta = nesterov ? (vMu * vi) - (vLr * g) : vi;
                (new Vector<float>(parameters[i..]) + delta).CopyTo(parameters[i..]);
            }
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float vi = v[i] = (mu * v[i]) - (lr * g);
            parameters[i] += nesterov ? (mu * vi) - (lr * g) : vi;
        }
    }
}
