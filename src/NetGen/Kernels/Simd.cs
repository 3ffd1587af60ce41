using System;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Chooses which vector width NetGen's kernels (GEMM and the element-wise activation loops) use, so tests and
/// benchmarks can cover every tier on one machine. The starting value comes from the environment variable
/// <c>NETGEN_SIMD</c> (<c>auto</c>, <c>scalar</c>, <c>128</c>, <c>256</c> or <c>512</c>), read once when the class is
/// first used; an unset or unrecognized value means <see cref="SimdTier.Auto"/>.
/// </summary>
/// <remarks>
/// A tier the hardware does not accelerate falls back to the best tier it does: asking for
/// <see cref="SimdTier.Vector512"/> on an AVX2 machine runs the <see cref="SimdTier.Vector256"/> code, and on a machine
/// without any vector support every request runs the scalar code. <see cref="EffectiveTier"/> tells which one runs.
/// Each kernel also uses narrower vectors for the tails its own width cannot cover. The setting is process-wide and
/// meant to be chosen once (or by tests that run alone); the kernels produce the same results on every tier, so a
/// change while other threads compute affects only their speed. Kernels that delegate to
/// <c>System.Numerics.Tensors.TensorPrimitives</c> pick their own width and ignore this setting, and so do the short-row
/// kernels of the softmax, the softmax losses and accuracy (internal <c>RowReductions</c>), which run AVX-512 code
/// wherever the hardware accelerates it (CI tests their fallbacks with <c>DOTNET_EnableAVX512=0</c>).
/// </remarks>
public static class Simd
{
    /// <summary>The name of the environment variable read at startup.</summary>
    public const string EnvironmentVariable = "NETGEN_SIMD";

    // Declaration order matters: each initializer uses the ones above it.
    private static readonly SimdTier s_best =
        Vector512.IsHardwareAccelerated ? SimdTier.Vector512
        : Vector256.IsHardwareAccelerated ? SimdTier.Vector256
        : Vector128.IsHardwareAccelerated ? SimdTier.Vector128
        : SimdTier.Scalar;

    private static volatile SimdTier s_requested = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable)) ?? SimdTier.Auto;
    private static volatile SimdTier s_effective = Resolve(s_requested);

    /// <summary>The widest tier this hardware accelerates.</summary>
    public static SimdTier BestAvailable => s_best;

    /// <summary>The requested tier (it may be wider than the hardware allows; see <see cref="EffectiveTier"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="SimdTier"/>.</exception>
    public static SimdTier Tier
    {
        get => s_requested;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Not a defined SimdTier.");
            }

            s_requested = value;
            s_effective = Resolve(value);
        }
    }

    /// <summary>The tier the kernels actually run: <see cref="Tier"/> capped at <see cref="BestAvailable"/>.</summary>
    public static SimdTier EffectiveTier => s_effective;

    /// <summary>
    /// Whether the kernels' multiply-adds run fused, rounding once (FMA on x64, which every AVX2 CPU has; always on
    /// Arm64). Every tier makes the same choice, so training gives bit-identical weights on every tier of machines that
    /// agree on this; without FMA each multiply-add rounds twice and the weights differ in their last bits. A NativeAOT
    /// binary compiled for the default instruction set (x86-64-v2) has no FMA, whatever the CPU it runs on.
    /// </summary>
    public static bool IsMultiplyAddFused { get; } = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    /// <summary>Whether this hardware accelerates <paramref name="tier"/> (always true for scalar and auto).</summary>
    public static bool IsSupported(SimdTier tier) => tier <= BestAvailable;

    /// <summary>The tier that runs when <paramref name="requested"/> is asked for on this hardware.</summary>
    internal static SimdTier Resolve(SimdTier requested) =>
        requested == SimdTier.Auto || requested > BestAvailable ? BestAvailable : requested;

    /// <summary>Reads a <c>NETGEN_SIMD</c> value; null when it is empty or not one of the documented spellings.</summary>
    internal static SimdTier? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "AUTO" => SimdTier.Auto,
        "SCALAR" => SimdTier.Scalar,
        "128" or "VECTOR128" => SimdTier.Vector128,
        "256" or "VECTOR256" => SimdTier.Vector256,
        "512" or "VECTOR512" => SimdTier.Vector512,
        _ => null,
    };
}
