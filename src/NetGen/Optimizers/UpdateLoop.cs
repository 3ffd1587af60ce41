using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// An optimizer's update rule for one register of parameters, written once for every vector width (as the
/// element-wise kernels' operators are): <see cref="UpdateLoop"/> runs it over a buffer in each tier.
/// </summary>
internal interface IUpdateRule
{
    /// <summary>
    /// Returns the updated parameters <paramref name="p"/> from their (already clipped) gradients <paramref name="g"/>,
    /// reading and writing the rule's state slots at element <paramref name="i"/> of <paramref name="s0"/>..<paramref name="s2"/>
    /// (a slot the rule does not use is a reference to nothing and is never touched).
    /// </summary>
    static abstract TVec Update<TOps, TVec>(TVec p, TVec g, in RuleVectors<TVec> k, ref float s0, ref float s1, ref float s2, nuint i)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct;
}

/// <summary>
/// A step's constants for an <see cref="IUpdateRule"/> (what each one means is up to the rule, which documents it),
/// plus two switches (momentum, Nesterov, centered) that stay the same for the whole step.
/// </summary>
internal struct RuleConstants
{
    public float A, B, C, D, E, F, G, H, I;
    public bool Flag1, Flag2;
}

/// <summary><see cref="RuleConstants"/> broadcast to registers once per pass, before its loop.</summary>
internal readonly struct RuleVectors<TVec>
    where TVec : struct
{
    public readonly TVec A, B, C, D, E, F, G, H, I;
    public readonly bool Flag1, Flag2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RuleVectors(TVec a, TVec b, TVec c, TVec d, TVec e, TVec f, TVec g, TVec h, TVec i, bool flag1, bool flag2)
    {
        (A, B, C, D, E, F, G, H, I, Flag1, Flag2) = (a, b, c, d, e, f, g, h, i, flag1, flag2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RuleVectors<TVec> Broadcast<TOps>(in RuleConstants k)
        where TOps : struct, IVectorOps<TVec> =>
        new(TOps.Broadcast(k.A), TOps.Broadcast(k.B), TOps.Broadcast(k.C), TOps.Broadcast(k.D),
            TOps.Broadcast(k.E), TOps.Broadcast(k.F), TOps.Broadcast(k.G), TOps.Broadcast(k.H), TOps.Broadcast(k.I), k.Flag1, k.Flag2);
}

/// <summary>
/// What the base class does to one run of elements besides the rule: Keras's order is clip the gradient, decay the
/// parameter (p −= p·wd·lr), then the rule's update.
/// </summary>
/// <param name="Clip">Whether the gradient is scaled and clamped first.</param>
/// <param name="Scale">The clip-by-norm factor (1 when only clamping).</param>
/// <param name="Limit">The clip-by-value bound (+∞ when only scaling).</param>
/// <param name="Decay">Whether the parameters are decayed (kernels only).</param>
/// <param name="WeightDecay">The decay factor wd.</param>
/// <param name="LearningRate">The step's learning rate, which scales the decay as in Keras.</param>
internal readonly record struct RunExtras(bool Clip, float Scale, float Limit, bool Decay, float WeightDecay, float LearningRate);

/// <summary>
/// The one loop shape of every built-in optimizer: the widest tier <see cref="Simd.EffectiveTier"/> allows, then each
/// narrower width on what is left, down to scalar (so a forced tier is honoured, and every tier gives the same bits:
/// the rules use no fused operations). Clipping and decay are generic switches, so the plain path pays nothing for them.
/// </summary>
internal static class UpdateLoop
{
    /// <summary>Updates <paramref name="parameters"/> (and the slots, each empty or as long) by <typeparamref name="TRule"/>.</summary>
    /// <remarks>
    /// Compiled fully optimized at once, as the passes are: left to tiered PGO, the callers' final code made Adam's
    /// update of the softmax model's 7 850 parameters 2.4 → 3.0 µs (one core, alternating processes).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRule>(in RuleConstants k, in RunExtras extras, Span<float> parameters, ReadOnlySpan<float> gradients,
        Span<float> s0, Span<float> s1, Span<float> s2)
        where TRule : struct, IUpdateRule
    {
        switch (extras.Clip, extras.Decay)
        {
            case (false, false):
                ByTier<TRule, Off, Off>(k, extras, parameters, gradients, s0, s1, s2);
                break;
            case (true, false):
                ByTier<TRule, On, Off>(k, extras, parameters, gradients, s0, s1, s2);
                break;
            case (false, true):
                ByTier<TRule, Off, On>(k, extras, parameters, gradients, s0, s1, s2);
                break;
            default:
                ByTier<TRule, On, On>(k, extras, parameters, gradients, s0, s1, s2);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByTier<TRule, TClip, TDecay>(in RuleConstants k, in RunExtras extras, Span<float> parameters, ReadOnlySpan<float> gradients,
        Span<float> s0, Span<float> s1, Span<float> s2)
        where TRule : struct, IUpdateRule
        where TClip : struct, ISwitch
        where TDecay : struct, ISwitch
    {
        nuint n = (nuint)parameters.Length;
        if (gradients.Length < parameters.Length || (s0.Length != 0 && s0.Length < parameters.Length)
            || (s1.Length != 0 && s1.Length < parameters.Length) || (s2.Length != 0 && s2.Length < parameters.Length))
        {
            throw new ArgumentException("The gradients and state slots must be as long as the parameters.");
        }

        // Unchecked loads and stores: the lengths were checked above (a slot the rule uses is never empty), and a
        // slice per register and buffer cost Adam 14 % (all 79 510 MLP parameters on one core: 17.7 → 15.2 µs).
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float r0 = ref MemoryMarshal.GetReference(s0), r1 = ref MemoryMarshal.GetReference(s1), r2 = ref MemoryMarshal.GetReference(s2);
        nuint i = 0;
        SimdTier tier = Simd.EffectiveTier;
        if (tier >= SimdTier.Vector512)
        {
            i = Pass<TRule, TClip, TDecay, Vector512Ops, Vector512<float>>(k, extras, ref p, ref g, ref r0, ref r1, ref r2, i, n);
        }

        if (tier >= SimdTier.Vector256)
        {
            i = Pass<TRule, TClip, TDecay, Vector256Ops, Vector256<float>>(k, extras, ref p, ref g, ref r0, ref r1, ref r2, i, n);
        }

        if (tier >= SimdTier.Vector128)
        {
            i = Pass<TRule, TClip, TDecay, Vector128Ops, Vector128<float>>(k, extras, ref p, ref g, ref r0, ref r1, ref r2, i, n);
        }

        _ = Pass<TRule, TClip, TDecay, ScalarOps, float>(k, extras, ref p, ref g, ref r0, ref r1, ref r2, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nuint Pass<TRule, TClip, TDecay, TOps, TVec>(in RuleConstants k, in RunExtras extras,
        ref float p, ref float g, ref float s0, ref float s1, ref float s2, nuint i, nuint n)
        where TRule : struct, IUpdateRule
        where TClip : struct, ISwitch
        where TDecay : struct, ISwitch
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count;
        RuleVectors<TVec> v = RuleVectors<TVec>.Broadcast<TOps>(k);
        TVec scale = TOps.Broadcast(extras.Scale), high = TOps.Broadcast(extras.Limit), low = TOps.Broadcast(-extras.Limit);
        TVec decay = TOps.Broadcast(extras.WeightDecay), rate = TOps.Broadcast(extras.LearningRate);
        for (; i + width <= n; i += width)
        {
            TVec gi = TOps.Load(ref g, i);
            if (TClip.IsOn)
            {
                gi = TOps.Min(TOps.Max(TOps.Multiply(gi, scale), low), high);
            }

            TVec pi = TOps.Load(ref p, i);
            if (TDecay.IsOn)
            {
                pi = TOps.Subtract(pi, TOps.Multiply(TOps.Multiply(pi, decay), rate)); // Keras: p − p·wd·lr
            }

            TOps.Store(TRule.Update<TOps, TVec>(pi, gi, v, ref s0, ref s1, ref s2, i), ref p, i);
        }

        return i;
    }

    /// <summary>A compile-time switch: the JIT drops the code behind an <see cref="Off"/>.</summary>
    private interface ISwitch
    {
        static abstract bool IsOn { get; }
    }

    private readonly struct On : ISwitch
    {
        public static bool IsOn => true;
    }

    private readonly struct Off : ISwitch
    {
        public static bool IsOn => false;
    }
}
