using System;
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
