using System;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), as Keras implements it: at step t (from 1),
/// m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², p −= α_t·m/(√v + ε) with α_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ)
/// (the bias corrections folded into the step size, and ε added outside the root, unscaled).
/// Keras's defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7. Slots: m and v, starting at 0, allocated on the first step.
/// Moments below <see cref="Optimizer.StateFloor"/> are flushed to 0, as TensorFlow's flush-to-zero mode does for subnormals.
/// Weight decay and clipping: see <see cref="Optimizer"/>; <see cref="AdamW"/> is Adam with Keras's AdamW decay default.
/// </summary>
public class Adam : Optimizer
{
    private float[]? _m;
    private float[]? _v;
    private RuleConstants _k;

    /// <summary>The first-moment slot m (empty before the first step); for tests and diagnostics.</summary>
    internal ReadOnlySpan<float> FirstMoment => _m;

    /// <summary>The second-moment slot v (empty before the first step).</summary>
    internal ReadOnlySpan<float> SecondMoment => _v;

    /// <summary>Creates the optimizer; the betas must be in [0, 1) and epsilon a finite number &gt; 0.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="beta1">Decay rate of the first moment.</param>
    /// <param name="beta2">Decay rate of the second moment.</param>
    /// <param name="epsilon">Added to √v.</param>
    /// <param name="weightDecay">Decoupled weight decay of the kernels (see <see cref="Optimizer.WeightDecay"/>); 0 for none.</param>
    /// <param name="clipNorm">Per-tensor gradient norm limit (Keras's <c>clipnorm</c>).</param>
    /// <param name="clipValue">Per-element gradient limit (Keras's <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Limit of the norm of all gradients together (Keras's <c>global_clipnorm</c>).</param>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float weightDecay = 0f, float? clipNorm = null, float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
    {
        Beta1 = InRange(beta1, 0f, 1f, nameof(beta1));
        Beta2 = InRange(beta2, 0f, 1f, nameof(beta2));
        Epsilon = Positive(epsilon, nameof(epsilon));
    }

    /// <summary>Decay rate of the first-moment estimate.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second-moment estimate.</summary>
    public float Beta2 { get; }

    /// <summary>Added to √v for numerical stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    internal override string[] SlotNames => ["momentum", "velocity"];

    /// <inheritdoc/>
    private protected override ref float[]? SlotField(int index)
    {
        if (index == 0)
        {
            return ref _m;
        }

        if (index == 1)
        {
            return ref _v;
        }

        return ref base.SlotField(index);
    }

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
        _ = Slot(ref _m, parameters.Length);
        _ = Slot(ref _v, parameters.Length);
        float b2 = Beta2, eps = Epsilon;

        // v sits under the root in the denominator, √v + ε: flushed only where √v is a millionth of ε or less.
        float tinyV = (float)Math.Min(StateFloor, (double)eps * eps * 1e-12);
        _k = new RuleConstants
        {
            A = Beta1,
            B = b2,
            C = 1f - Beta1,
            D = 1f - b2,
            E = eps,
            F = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(b2, step)) / (1 - Math.Pow(Beta1, step))),
            G = StateFloor,
            H = tinyV,

            // Tiny gradients leave g² out of v, which keeps v's bits and avoids a subnormal product (SquareCutoff).
            I = SquareCutoff(1f - b2, b2 * tinyV, tinyV),
        };
        UpdateInSlices(parameters, gradients);
    }

    /// <inheritdoc/>
    protected override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) =>
        ApplyRule<Rule>(_k, parameters, gradients, offset, _m, _v);

    /// <summary>A = β1, B = β2, C = 1 − β1, D = 1 − β2, E = ε, F = α_t, G = m's floor, H = v's floor, I = the g² cutoff; slots m, v.</summary>
    private readonly struct Rule : IUpdateRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Update<TOps, TVec>(TVec p, TVec g, in RuleVectors<TVec> k, ref float s0, ref float s1, ref float s2, nuint i)
            where TOps : struct, IVectorOps<TVec>
            where TVec : struct
        {
            TVec m = TOps.Add(TOps.Multiply(k.A, TOps.Load(ref s0, i)), TOps.Multiply(k.C, g));
            TVec gs = TOps.ZeroWhereBelow(g, TOps.Abs(g), k.I);
            TVec v = TOps.Add(TOps.Multiply(k.B, TOps.Load(ref s1, i)), TOps.Multiply(TOps.Multiply(k.D, gs), gs));
            m = TOps.ZeroWhereBelow(m, TOps.Abs(m), k.G);
            v = TOps.ZeroWhereBelow(v, v, k.H);
            TOps.Store(m, ref s0, i);
            TOps.Store(v, ref s1, i);
            return TOps.Subtract(p, TOps.Divide(TOps.Multiply(k.F, m), TOps.Add(TOps.Sqrt(v), k.E)));
        }
    }
}
