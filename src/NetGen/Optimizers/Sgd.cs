using System;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum, as Keras defines them:
/// without momentum p −= lr·g; with it v = momentum·v − lr·g, then p += v, or with Nesterov p += momentum·v − lr·g
/// (using the v just updated). Keras's defaults: lr 0.01, momentum 0, no Nesterov (which has no effect without momentum).
/// Slot: the velocity v, starting at 0, allocated on the first step that needs it. Weight decay and clipping: see <see cref="Optimizer"/>.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[]? _velocity;
    private RuleConstants _k;

    /// <summary>Creates the optimizer; <paramref name="momentum"/> must be in [0, 1).</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="momentum">The momentum factor; 0 for plain gradient descent.</param>
    /// <param name="nesterov">Whether to use the Nesterov look-ahead.</param>
    /// <param name="weightDecay">Decoupled weight decay of the kernels (see <see cref="Optimizer.WeightDecay"/>); 0 for none.</param>
    /// <param name="clipNorm">Per-tensor gradient norm limit (Keras's <c>clipnorm</c>).</param>
    /// <param name="clipValue">Per-element gradient limit (Keras's <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Limit of the norm of all gradients together (Keras's <c>global_clipnorm</c>).</param>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false,
        float weightDecay = 0f, float? clipNorm = null, float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
    {
        Momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        Nesterov = nesterov;
    }

    /// <summary>The momentum factor in [0, 1).</summary>
    public float Momentum { get; }

    /// <summary>Whether the Nesterov look-ahead is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    internal override string[] SlotNames => Momentum == 0f ? [] : ["momentum"];

    /// <inheritdoc/>
    private protected override ref float[]? SlotField(int index) => ref index == 0 && Momentum != 0f ? ref _velocity : ref base.SlotField(index);

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _velocity = null;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        if (Momentum != 0f)
        {
            _ = Slot(ref _velocity, parameters.Length);
        }

        _k = new RuleConstants { A = LearningRate, B = Momentum, C = StateFloor, Flag1 = Nesterov };
        UpdateInSlices(parameters, gradients);
    }

    /// <inheritdoc/>
    protected override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        if (Momentum == 0f)
        {
            ApplyRule<PlainRule>(_k, parameters, gradients, offset, null);
        }
        else
        {
            ApplyRule<MomentumRule>(_k, parameters, gradients, offset, _velocity);
        }
    }

    /// <summary>p −= lr·g. A = lr.</summary>
    private readonly struct PlainRule : IUpdateRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Update<TOps, TVec>(TVec p, TVec g, in RuleVectors<TVec> k, ref float s0, ref float s1, ref float s2, nuint i)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct =>
            TOps.Subtract(p, TOps.Multiply(k.A, g));
    }

    /// <summary>
    /// v = μ·v − lr·g (stored as 0 below <see cref="Optimizer.StateFloor"/>), then p += v, or with Nesterov
    /// p += μ·v − lr·g. A = lr, B = μ, C = the floor, Flag1 = Nesterov; slot v.
    /// </summary>
    private readonly struct MomentumRule : IUpdateRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Update<TOps, TVec>(TVec p, TVec g, in RuleVectors<TVec> k, ref float s0, ref float s1, ref float s2, nuint i)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec v = TOps.Subtract(TOps.Multiply(k.B, TOps.Load(ref s0, i)), TOps.Multiply(k.A, g));
            v = TOps.ZeroWhereBelow(v, TOps.Abs(v), k.C);
            TOps.Store(v, ref s0, i);
            return TOps.Add(p, k.Flag1 ? TOps.Subtract(TOps.Multiply(k.B, v), TOps.Multiply(k.A, g)) : v);
        }
    }
}
