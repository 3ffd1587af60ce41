using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>
/// One optimizer's update of a single register of parameters, written once for every vector width. The rule's
/// hyperparameters are its fields; <c>p</c>, <c>s1</c>… are the parameters and its state slots,
/// read and written in place. Every tier runs the same operations in the same order, so results agree bit for bit.
/// </summary>
internal interface IUpdateRule
{
    void Apply<TOps, TVec>(ref TVec p, TVec g, ref TVec s1, ref TVec s2, ref TVec s3)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct;
}

/// <summary>
/// Runs an <see cref="IUpdateRule"/> over the flat parameter buffer in one pass: the widest tier first, then narrower
/// widths for what is left, as the element-wise kernels do. Slots a rule does not use may be empty.
/// </summary>
internal static class UpdateLoop
{
    public static void Run<TRule>(in TRule rule, Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> s1, Span<float> s2 = default, Span<float> s3 = default)
        where TRule : struct, IUpdateRule
    {
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float a = ref MemoryMarshal.GetReference(s1);
        ref float b = ref MemoryMarshal.GetReference(s2);
        ref float c = ref MemoryMarshal.GetReference(s3);
        nuint n = (nuint)parameters.Length, i = 0;
        SimdTier tier = Simd.EffectiveTier;
        if (tier >= SimdTier.Vector512)
        {
            i = Run<TRule, Vector512Ops, Vector512<float>>(in rule, ref p, ref g, ref a, ref b, ref c, i, n);
        }

        if (tier >= SimdTier.Vector256)
        {
            i = Run<TRule, Vector256Ops, Vector256<float>>(in rule, ref p, ref g, ref a, ref b, ref c, i, n);
        }

        if (tier >= SimdTier.Vector128)
        {
            i = Run<TRule, Vector128Ops, Vector128<float>>(in rule, ref p, ref g, ref a, ref b, ref c, i, n);
        }

        _ = Run<TRule, ScalarOps, float>(in rule, ref p, ref g, ref a, ref b, ref c, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nuint Run<TRule, TOps, TVec>(in TRule rule, ref float p, ref float g, ref float a, ref float b, ref float c, nuint i, nuint n)
        where TRule : struct, IUpdateRule
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint width = (nuint)TOps.Count;
        bool hasA = !Unsafe.IsNullRef(ref a), hasB = !Unsafe.IsNullRef(ref b), hasC = !Unsafe.IsNullRef(ref c);
        for (; i + width <= n; i += width)
        {
            TVec pv = TOps.Load(ref p, i);
            TVec av = hasA ? TOps.Load(ref a, i) : TOps.Zero;
            TVec bv = hasB ? TOps.Load(ref b, i) : TOps.Zero;
            TVec cv = hasC ? TOps.Load(ref c, i) : TOps.Zero;
            rule.Apply<TOps, TVec>(ref pv, TOps.Load(ref g, i), ref av, ref bv, ref cv);
            TOps.Store(pv, ref p, i);
            if (hasA)
            {
                TOps.Store(av, ref a, i);
            }

            if (hasB)
            {
                TOps.Store(bv, ref b, i);
            }

            if (hasC)
            {
                TOps.Store(cv, ref c, i);
            }
        }

        return i;
    }
}
