using System;
using NetGen.Optimizers;

namespace NetGen.Tests.Optimizers;

/// <summary>Adam stores moments below <see cref="Optimizer.StateFloor"/> as 0 rather than letting them decay through the slow subnormal range.</summary>
public class MomentFloorTests
{
    [Theory]
    [InlineData(7)]      // the scalar loop alone
    [InlineData(1000)]   // the vector loops and a scalar tail
    public void Moments_of_a_parameter_whose_gradient_stopped_reach_zero_without_going_subnormal(int length)
    {
        var adam = new Adam();
        var p = new float[length];
        var g = new float[length];
        g.AsSpan().Fill(1f);
        adam.Step(p, g);
        g.AsSpan().Clear();

        bool mReachedZero = false;
        for (int step = 0; step < 2000; step++)
        {
            adam.Step(p, g);
            foreach (float m in adam.FirstMoment)
            {
                Assert.False(float.IsSubnormal(m), $"m = {m} at step {step}");
            }

            foreach (float v in adam.SecondMoment)
            {
                Assert.False(float.IsSubnormal(v), $"v = {v} at step {step}");
            }

            mReachedZero |= adam.FirstMoment[0] == 0f;
        }

        // m = 0.1·0.9^t passes 1e-30 after about 630 steps; v = 0.001·0.999^t is still about 1.4e-4 at step 2000.
        Assert.True(mReachedZero);
        Assert.True(adam.SecondMoment[0] > 1e-4f);
        Assert.All(p, value => Assert.True(value < 0f && float.IsFinite(value)));
    }

    [Fact]
    public void Moments_above_the_floor_are_kept_exactly()
    {
        var adam = new Adam();
        float[] p = [0f], g = [1e-10f];
        adam.Step(p, g);

        // m = (1 − β1)·g and v = (1 − β2)·g² ≈ 1e-23: tiny, but far above 1e-30, so not flushed.
        float g0 = g[0];
        Assert.Equal((1f - 0.9f) * g0, adam.FirstMoment[0]);
        Assert.Equal((1f - 0.999f) * g0 * g0, adam.SecondMoment[0]);
    }
}

/// <summary>Every optimizer with decaying state flushes it below <see cref="Optimizer.StateFloor"/> to 0, on every loop.</summary>
public class StateFloorTests
{
    public static TheoryData<string, int> Configurations()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { "rmsprop", "rmsprop-momentum", "rmsprop-centered", "sgd-momentum", "sgd-nesterov", "adam" })
        {
            data.Add(name, 7);      // the scalar loop alone
            data.Add(name, 1003);   // the vector loops and a scalar tail
            data.Add(name, 40_000); // updated in slices on several threads
        }

        return data;
    }

    private static Optimizer Create(string name) => name switch
    {
        "rmsprop" => new RmsProp(),
        "rmsprop-momentum" => new RmsProp(momentum: 0.9f),
        "rmsprop-centered" => new RmsProp(centered: true),
        "sgd-momentum" => new Sgd(momentum: 0.9f),
        "sgd-nesterov" => new Sgd(momentum: 0.9f, nesterov: true),
        _ => new Adam(),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void State_of_a_parameter_whose_gradient_stopped_reaches_zero_without_going_subnormal(string name, int length)
    {
        Optimizer optimizer = Create(name);
        var p = new float[length];
        var g = new float[length];
        g.AsSpan().Fill(1f);
        optimizer.Step(p, g);
        g.AsSpan().Clear();

        // ρ = μ = 0.9: every decaying slot passes 1e-30 within about 700 steps (Adam's v, at β2 = 0.999, stays above).
        for (int step = 0; step < 1000; step++)
        {
            optimizer.Step(p, g);
            foreach (float[] slot in optimizer.StateSlots)
            {
                int bad = Array.FindIndex(slot, float.IsSubnormal);
                Assert.True(bad < 0, $"{name}: slot value {(bad < 0 ? 0 : slot[bad])} at index {bad}, step {step}");
            }
        }

        Assert.NotEmpty(optimizer.StateSlots);
        Assert.Contains(optimizer.StateSlots, slot => slot[0] == 0f && slot[^1] == 0f);
        Assert.All(p, value => Assert.True(float.IsFinite(value) && value != 0f));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void A_NaN_or_infinite_gradient_still_reaches_the_parameter(string name, int length)
    {
        // The floor compares |state| < 1e-30, which is false for NaN: flushing must not hide a broken gradient.
        Optimizer optimizer = Create(name);
        var p = new float[length];
        var g = new float[length];
        g.AsSpan().Fill(0.5f);
        optimizer.Step(p, g);
        int nan = length / 2, infinite = length - 1;
        g[nan] = float.NaN;
        g[infinite] = float.PositiveInfinity;
        optimizer.Step(p, g);

        Assert.True(float.IsNaN(p[nan]), $"{name}: parameter {nan} is {p[nan]} after a NaN gradient");
        Assert.False(float.IsFinite(p[infinite]), $"{name}: parameter {infinite} is {p[infinite]} after an infinite gradient");
        Assert.True(float.IsFinite(p[0]));
    }

    [Fact]
    public void With_a_tiny_epsilon_RMSprop_keeps_small_second_moments()
    {
        // v ≈ 1e-33 is far below the floor of 1e-30, but next to ε = 1e-35 it is most of the denominator: kept.
        var rmsprop = new RmsProp(epsilon: 1e-35f);
        float[] p = [0f], g = [1e-16f];
        rmsprop.Step(p, g);
        Assert.True(rmsprop.StateSlots[0][0] > 0f);
        Assert.True(MathF.Abs(p[0]) < 0.01f, $"the step stays near lr = 0.001: {p[0]}");
    }
}
