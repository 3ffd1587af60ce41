using System;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// Adagrad (Duchi et al.), exactly as Keras implements it: acc += g², p −= lr·g/√(acc + ε), with the accumulator
/// starting at <see cref="InitialAccumulatorValue"/>. Note that ε sits inside the root (Keras's form; PyTorch adds it
/// outside, as √acc + ε). Keras's defaults: lr 0.001, initial accumulator 0.1, ε 1e-7.
/// Slot: the accumulator, allocated on the first step. Weight decay and clipping: see <see cref="Optimizer"/>.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private float[]? _accumulator;
    private RuleConstants _k;

    /// <summary>Creates the optimizer; the initial accumulator value must be a finite number &gt;= 0, epsilon a finite number &gt; 0.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="initialAccumulatorValue">The value every accumulator starts from.</param>
    /// <param name="epsilon">Added to the accumulator under the root.</param>
    /// <param name="weightDecay">Decoupled weight decay of the kernels (see <see cref="Optimizer.WeightDecay"/>); 0 for none.</param>
    /// <param name="clipNorm">Per-tensor gradient norm limit (Keras's <c>clipnorm</c>).</param>
    /// <param name="clipValue">Per-element gradient limit (Keras's <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Limit of the norm of all gradients together (Keras's <c>global_clipnorm</c>).</param>
    public Adagrad(float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f,
        float weightDecay = 0f, float? clipNorm = null, float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
    {
        InitialAccumulatorValue = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = Positive(epsilon, nameof(epsilon));
    }

    /// <summary>The value every accumulator starts from.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>Added to the accumulator under the root for numerical stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    internal override string[] SlotNames => ["accumulator"];

    /// <inheritdoc/>
    private protected override ref float[]? SlotField(int index) => ref index == 0 ? ref _accumulator : ref base.SlotField(index);

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _accumulator = null;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        _ = Slot(ref _accumulator, parameters.Length, InitialAccumulatorValue);

        // The accumulator never falls below its start, so with a start of 2⁻¹⁰² or more, tiny gradients' g² (subnormal,
        // slow) rounds away and can be left out (SquareCutoff); a start of 0 keeps every term.
        _k = new RuleConstants
        {
            A = LearningRate,
            B = Epsilon,
            C = SquareCutoff(1f, InitialAccumulatorValue, InitialAccumulatorValue > 0f ? null : 0f),
        };
        UpdateInSlices(parameters, gradients);
    }

    /// <inheritdoc/>
    protected override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) =>
        ApplyRule<Rule>(_k, parameters, gradients, offset, _accumulator);

    /// <summary>acc += g², p −= lr·g/√(acc + ε). A = lr, B = ε, C = the g² cutoff; slot acc.</summary>
    private readonly struct Rule : IUpdateRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Update<TOps, TVec>(TVec p, TVec g, in RuleVectors<TVec> k, ref float s0, ref float s1, ref float s2, nuint i)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec gs = TOps.ZeroWhereBelow(g, TOps.Abs(g), k.C);
            TVec acc = TOps.Add(TOps.Load(ref s0, i), TOps.Multiply(gs, gs));
            TOps.Store(acc, ref s0, i);
            return TOps.Subtract(p, TOps.Divide(TOps.Multiply(k.A, g), TOps.Sqrt(TOps.Add(acc, k.B))));
        }
    }
}
