using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>The tier setting: fallback to what the hardware has, validation and the NETGEN_SIMD spellings.</summary>
[Collection(SimdTierCollection.Name)]
public sealed class SimdTests
{
    [Theory]
    [MemberData(nameof(SimdTierCollection.Tiers), MemberType = typeof(SimdTierCollection))]
    public void A_forced_tier_runs_when_supported_and_falls_back_to_the_best_available_otherwise(SimdTier tier)
    {
        using var scope = new TierScope(tier);
        Assert.Equal(tier, Simd.Tier);
        SimdTier expected = Simd.IsSupported(tier) ? tier : Simd.BestAvailable;
        Assert.Equal(expected, Simd.EffectiveTier);
        Assert.True(Simd.EffectiveTier <= Simd.BestAvailable);
    }

    [Fact]
    public void Auto_runs_the_best_available_tier()
    {
        using var scope = new TierScope(SimdTier.Auto);
        Assert.Equal(Simd.BestAvailable, Simd.EffectiveTier);
        Assert.True(Simd.IsSupported(SimdTier.Scalar));
        Assert.NotEqual(SimdTier.Auto, Simd.BestAvailable);
    }

    [Fact]
    public void Undefined_tiers_are_rejected_and_leave_the_setting_alone()
    {
        using var scope = new TierScope(SimdTier.Vector128);
        Assert.Throws<ArgumentOutOfRangeException>(() => Simd.Tier = (SimdTier)42);
        Assert.Equal(SimdTier.Vector128, Simd.Tier);
    }

    [Fact]
    public void IsMultiplyAddFused_says_whether_the_kernels_multiply_adds_round_once()
    {
        // (1 + 2⁻²³)² − (1 + 2⁻²²) = 2⁻⁴⁶ exactly; rounding the product to float first leaves 0.
        float a = BitConverter.Int32BitsToSingle(0x3F80_0001), c = -BitConverter.Int32BitsToSingle(0x3F80_0002);
        float expected = Simd.IsMultiplyAddFused ? MathF.ScaleB(1f, -46) : 0f;
        Assert.Equal(expected, ScalarOps.MultiplyAdd(a, a, c));
        Assert.Equal(expected, Vector128Ops.MultiplyAdd(Vector128.Create(a), Vector128.Create(a), Vector128.Create(c)).GetElement(3));
        Assert.Equal(expected, Vector256Ops.MultiplyAdd(Vector256.Create(a), Vector256.Create(a), Vector256.Create(c)).GetElement(7));
        Assert.Equal(expected, Vector512Ops.MultiplyAdd(Vector512.Create(a), Vector512.Create(a), Vector512.Create(c)).GetElement(15));
    }

    [Theory]
    [InlineData("scalar", SimdTier.Scalar)]
    [InlineData("SCALAR", SimdTier.Scalar)]
    [InlineData(" 128 ", SimdTier.Vector128)]
    [InlineData("256", SimdTier.Vector256)]
    [InlineData("512", SimdTier.Vector512)]
    [InlineData("Vector256", SimdTier.Vector256)]
    [InlineData("auto", SimdTier.Auto)]
    public void Environment_values_parse(string value, SimdTier expected) => Assert.Equal(expected, Simd.Parse(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1024")]
    [InlineData("avx")]
    public void Unknown_environment_values_mean_auto(string? value) => Assert.Null(Simd.Parse(value));
}
