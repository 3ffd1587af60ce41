using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    /// <inheritdoc/>
    internal override float[][] StateSlots => _velocity is null ? [] : [_velocity];

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
        if (Momentum == 0f)
        {
            TensorPrimitives.MultiplyAdd(gradients, -LearningRate, parameters, parameters);
            return;
        }

        _ = Slot(ref _velocity, parameters.Length);
        UpdateInSlices(parameters, gradients);
    }

    /// <inheritdoc/>
    /// <remarks>Velocities below <see cref="Optimizer.StateFloor"/> are stored as 0, as Adam's moments are.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        Span<float> v = _velocity.AsSpan(offset, parameters.Length);
        float lr = LearningRate, mu = Momentum, tiny = StateFloor;
        bool nesterov = Nesterov;
        int i = 0;

        // Vector<T> stays 256 bits wide on AVX-512 machines unless the app opts in, so the widest loop is explicit.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vMu = Vector512.Create(mu), vLr = Vector512.Create(lr), vTiny = Vector512.Create(tiny);
            for (; i <= parameters.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> g = Vector512.Create(gradients[i..]);
                Vector512<float> vi = (vMu * Vector512.Create(v[i..])) - (vLr * g);
                vi = Vector512.AndNot(vi, Vector512.LessThan(Vector512.Abs(vi), vTiny));
                vi.CopyTo(v[i..]);
                Vector512<float> delta = nesterov ? (vMu * vi) - (vLr * g) : vi;
                (Vector512.Create(parameters[i..]) + delta).CopyTo(parameters[i..]);
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> vMu = new(mu), vLr = new(lr), vTiny = new(tiny);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> vi = (vMu * new Vector<float>(v[i..])) - (vLr * g);
                vi = Vector.AndNot(vi, Vector.LessThan(Vector.Abs(vi), vTiny).As<int, float>());
                vi.CopyTo(v[i..]);
                Vector<float> delta = nesterov ? (vMu * vi) - (vLr * g) : vi;
                (new Vector<float>(parameters[i..]) + delta).CopyTo(parameters[i..]);
            }
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float vi = (mu * v[i]) - (lr * g);
            vi = v[i] = MathF.Abs(vi) < tiny ? 0f : vi;
            parameters[i] += nesterov ? (mu * vi) - (lr * g) : vi;
        }
    }
}
