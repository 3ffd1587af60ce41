using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Optimizers;

namespace NetGen.Tests.Optimizers;

/// <summary>What every optimizer promises: it minimizes, validates, resets, checks lengths and allocates only once.</summary>
public sealed class OptimizerContractTests
{
    private static readonly Dictionary<string, Func<Optimizer>> Factories = new()
    {
        ["sgd"] = () => new Sgd(0.05f),
        ["sgd-momentum"] = () => new Sgd(0.02f, 0.9f),
        ["sgd-nesterov"] = () => new Sgd(0.02f, 0.9f, nesterov: true),
        ["adam"] = () => new Adam(0.02f),
        ["rmsprop"] = () => new RmsProp(0.003f),
        ["rmsprop-momentum-centered"] = () => new RmsProp(0.001f, momentum: 0.9f, centered: true),
        ["adagrad"] = () => new Adagrad(0.5f),
    };

    public static TheoryData<string> Names() => new(Factories.Keys);

    /// <summary>f(p) = ½·Σ a_i·(p_i − c_i)², a convex quadratic with curvatures 0.5 to 10; ∇f = a·(p − c).</summary>
    private static double Quadratic(ReadOnlySpan<float> p, Span<float> gradient)
    {
        double f = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double a = 0.5 + (9.5 * i / (p.Length - 1)), c = Math.Cos(i);
            f += 0.5 * a * (p[i] - c) * (p[i] - c);
            gradient[i] = (float)(a * (p[i] - c));
        }

        return f;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Minimizes_a_convex_quadratic(string name)
    {
        Optimizer optimizer = Factories[name]();
        var p = new float[21];
        var g = new float[p.Length];
        p.AsSpan().Fill(3f);
        double start = Quadratic(p, g);
        for (int step = 0; step < 3000; step++)
        {
            Quadratic(p, g);
            optimizer.Step(p, g);
        }

        double end = Quadratic(p, g);
        Assert.True(end < start * 1e-4, $"{name}: f went from {start} to {end}.");
        for (int i = 0; i < p.Length; i++)
        {
            Assert.True(Math.Abs(p[i] - Math.Cos(i)) < 0.02, $"{name}: p[{i}] = {p[i]}, the minimum is at {Math.Cos(i)}.");
        }
    }

    public static TheoryData<string, string> InvalidHyperparameters() => new()
    {
        { "Learning rate", "-0.1" },
        { "Learning rate", "0" },
        { "Learning rate", "NaN" },
        { "Learning rate", "∞" },
        { "momentum", "-0.1" },
        { "momentum", "1" },
        { "beta1", "1" },
        { "beta2", "-0.5" },
        { "epsilon", "0" },
        { "epsilon", "-1E-07" },
        { "rho", "1.5" },
        { "initialAccumulatorValue", "-0.1" },
    };

    [Theory]
    [MemberData(nameof(InvalidHyperparameters))]
    public void Invalid_hyperparameters_throw_naming_the_value(string what, string value)
    {
        float v = value == "∞" ? float.PositiveInfinity : float.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        IEnumerable<Func<Optimizer>> constructors = what switch
        {
            "Learning rate" => [() => new Sgd(v), () => new Adam(v), () => new RmsProp(v), () => new Adagrad(v)],
            "momentum" => [() => new Sgd(momentum: v), () => new RmsProp(momentum: v)],
            "beta1" => [() => new Adam(beta1: v)],
            "beta2" => [() => new Adam(beta2: v)],
            "epsilon" => [() => new Adam(epsilon: v), () => new RmsProp(epsilon: v), () => new Adagrad(epsilon: v)],
            "rho" => [() => new RmsProp(rho: v)],
            "initialAccumulatorValue" => [() => new Adagrad(initialAccumulatorValue: v)],
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        foreach (Func<Optimizer> create in constructors)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => create());
            Assert.StartsWith(what, e.Message, StringComparison.Ordinal);
            Assert.Contains($"received {v}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_learning_rate_can_be_changed_but_not_to_an_invalid_value()
    {
        var sgd = new Sgd();
        Assert.Equal(0.01f, sgd.LearningRate);
        sgd.LearningRate = 0.5f;
        Assert.Equal(0.5f, sgd.LearningRate);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -0.1f);
        Assert.Contains("must be a finite number > 0, received -0.1", e.Message, StringComparison.Ordinal);
        Assert.Equal(0.5f, sgd.LearningRate);
    }

    [Fact]
    public void Defaults_are_Keras_defaults()
    {
        var sgd = new Sgd();
        Assert.Equal((0.01f, 0f, false), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov));
        var adam = new Adam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        var rmsprop = new RmsProp();
        Assert.Equal((0.001f, 0.9f, 0f, 1e-7f, false), (rmsprop.LearningRate, rmsprop.Rho, rmsprop.Momentum, rmsprop.Epsilon, rmsprop.Centered));
        var adagrad = new Adagrad();
        Assert.Equal((0.001f, 0.1f, 1e-7f), (adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Reset_forgets_the_state_and_the_step_count(string name)
    {
        Optimizer used = Factories[name]();
        float[] scratch = [1f, 2f, 3f];
        for (int s = 0; s < 5; s++)
        {
            used.Step(scratch, [0.3f, -0.7f, 1.1f]);
        }

        used.Reset();
        Assert.Equal(0, used.Iterations);

        Optimizer fresh = Factories[name]();
        float[] a = [0.5f, -1f, 2f], b = [0.5f, -1f, 2f];
        for (int s = 0; s < 4; s++)
        {
            float[] g = [(float)Math.Sin(s), 0.25f * s, -1f];
            used.Step(a, g);
            fresh.Step(b, g);
        }

        Assert.Equal(b, a);
        Assert.Equal(4, used.Iterations);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Mismatched_lengths_throw(string name)
    {
        Optimizer optimizer = Factories[name]();
        var e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[3], new float[4]));
        Assert.Contains("(3)", e.Message, StringComparison.Ordinal);
        Assert.Contains("(4)", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, optimizer.Iterations);

        // Once it holds state for 3 parameters, another size is refused until Reset.
        optimizer.Step(new float[3], [1f, 1f, 1f]);
        e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[5], new float[5]));
        Assert.Contains("state for 3 parameters, received 5", e.Message, StringComparison.Ordinal);
        optimizer.Reset();
        optimizer.Step(new float[5], new float[5]);
        Assert.Equal(1, optimizer.Iterations);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Steps_after_the_first_allocate_nothing(string name)
    {
        Optimizer optimizer = Factories[name]();
        var p = new float[1000];
        float[] g = Enumerable.Range(0, p.Length).Select(i => (float)Math.Sin(i)).ToArray();

        // The warm-up steps allocate the slots (and warm up the JIT).
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => optimizer.Step(p, g)));
    }
}
