using System;
using System.Linq;
using NetGen.Optimizers;

namespace NetGen.Tests.Optimizers;

/// <summary>Each optimizer's steps against hand-worked numbers and against its documented formula run in double.</summary>
public sealed class OptimizerRuleTests
{
    // 37 parameters: at least two full vectors on every width (4, 8 or 16 floats) plus a scalar tail.
    private const int Length = 37;
    private const int Steps = 6;

    [Fact]
    public void Sgd_plain_momentum_and_nesterov_by_hand()
    {
        // lr 0.1, g = 1 every step. Momentum 0.9: v = −0.1, −0.19, −0.271, so p = 0.9, 0.71, 0.439.
        // Nesterov: p += 0.9·v − 0.1 = −0.19, −0.271, −0.3439, so p = 0.81, 0.539, 0.1951.
        Assert.Equal([0.9f, 0.8f, 0.7f], Run(new Sgd(0.1f), 1f, 3), Close(1e-6f));
        Assert.Equal([0.9f, 0.71f, 0.439f], Run(new Sgd(0.1f, momentum: 0.9f), 1f, 3), Close(1e-6f));
        Assert.Equal([0.81f, 0.539f, 0.1951f], Run(new Sgd(0.1f, momentum: 0.9f, nesterov: true), 1f, 3), Close(1e-6f));
    }

    [Fact]
    public void Adam_by_hand_with_bias_correction()
    {
        // Step 1, g = 0.5: m = 0.05, v = 0.00025, α = 0.001·√0.001/0.1, step = α·m/(√v + ε) = 9.99994e-4 ≈ lr
        // (without the bias corrections it would be 3.16e-3). Step 2, g = −0.25: m = 0.02, v = 0.00031225,
        // α = 0.001·√(1 − 0.999²)/(1 − 0.9²), step = 2.6634e-4.
        var adam = new Adam();
        float[] p = [1f];
        adam.Step(p, [0.5f]);
        Assert.Equal(0.999000006277059, p[0], 1e-7);
        adam.Step(p, [-0.25f]);
        Assert.Equal(0.9987336707450302, p[0], 1e-7);
        Assert.Equal(2, adam.Iterations);
    }

    [Fact]
    public void RmsProp_matches_the_Keras_documentation_example()
    {
        // keras.optimizers.RMSprop(learning_rate=0.1) on loss var²/2 from var = 10: one step gives 9.683772.
        var rmsprop = new RmsProp(0.1f);
        float[] p = [10f];
        rmsprop.Step(p, p.ToArray());
        Assert.Equal(9.683772f, p[0], 1e-5f);
    }

    [Fact]
    public void Adagrad_by_hand()
    {
        // lr 0.1, accumulator from 0.1, g = 1: acc = 1.1 then 2.1; p −= 0.1/√(acc + 1e-7).
        Assert.Equal([0.9046537f, 0.8356472f], Run(new Adagrad(0.1f), 1f, 2), Close(1e-6f));
    }

    public static TheoryData<string> Configurations() => new(
        "sgd", "sgd-momentum", "sgd-nesterov", "adam", "adam-custom", "rmsprop", "rmsprop-momentum", "rmsprop-centered",
        "rmsprop-centered-momentum", "adagrad", "adagrad-custom");

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Steps_follow_the_documented_formula_computed_in_double(string configuration)
    {
        double[][] grads = OptimizerReference.Gradients(Steps, Length, configuration.Length);
        double[] p0 = Enumerable.Range(0, Length).Select(i => (double)(float)Math.Sin(i + 1)).ToArray();
        (Optimizer optimizer, double[] expected) = configuration switch
        {
            "sgd" => ((Optimizer)new Sgd(0.05f), OptimizerReference.Sgd(p0, grads, 0.05f, 0, false)),
            "sgd-momentum" => (new Sgd(0.05f, 0.9f), OptimizerReference.Sgd(p0, grads, 0.05f, 0.9f, false)),
            "sgd-nesterov" => (new Sgd(0.05f, 0.9f, nesterov: true), OptimizerReference.Sgd(p0, grads, 0.05f, 0.9f, true)),
            "adam" => (new Adam(), OptimizerReference.Adam(p0, grads, 0.001f, 0.9f, 0.999f, 1e-7f)),
            "adam-custom" => (new Adam(0.05f, 0.8f, 0.99f, 1e-3f), OptimizerReference.Adam(p0, grads, 0.05f, 0.8f, 0.99f, 1e-3f)),
            "rmsprop" => (new RmsProp(), OptimizerReference.RmsProp(p0, grads, 0.001f, 0.9f, 0, 1e-7f, false)),
            "rmsprop-momentum" => (new RmsProp(0.01f, 0.8f, 0.5f), OptimizerReference.RmsProp(p0, grads, 0.01f, 0.8f, 0.5f, 1e-7f, false)),
            "rmsprop-centered" => (new RmsProp(0.01f, centered: true), OptimizerReference.RmsProp(p0, grads, 0.01f, 0.9f, 0, 1e-7f, true)),
            "rmsprop-centered-momentum" => (new RmsProp(0.01f, 0.9f, 0.9f, 1e-4f, true), OptimizerReference.RmsProp(p0, grads, 0.01f, 0.9f, 0.9f, 1e-4f, true)),
            "adagrad" => (new Adagrad(), OptimizerReference.Adagrad(p0, grads, 0.001f, 0.1f, 1e-7f)),
            "adagrad-custom" => (new Adagrad(0.5f, 0f, 1e-3f), OptimizerReference.Adagrad(p0, grads, 0.5f, 0f, 1e-3f)),
            _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
        };

        float[] p = Array.ConvertAll(p0, v => (float)v);
        foreach (double[] g in grads)
        {
            optimizer.Step(p, Array.ConvertAll(g, v => (float)v));
        }

        for (int i = 0; i < Length; i++)
        {
            // Float rounding of p (~6e-8 per step) plus relative error in the accumulated displacement.
            double tolerance = (Steps * 1.2e-7) + (1e-5 * Math.Abs(expected[i] - p0[i]));
            Assert.True(Math.Abs(p[i] - expected[i]) <= tolerance, $"{configuration}: p[{i}] = {p[i]:R}, formula gives {expected[i]:R}.");
        }
    }

    [Fact]
    public void Nesterov_and_plain_momentum_take_different_steps_and_both_differ_from_plain_sgd()
    {
        float[] plain = Run(new Sgd(0.1f), 1f, 3), momentum = Run(new Sgd(0.1f, 0.9f), 1f, 3), nesterov = Run(new Sgd(0.1f, 0.9f, true), 1f, 3);
        Assert.NotEqual(plain[2], momentum[2]);
        Assert.NotEqual(momentum[2], nesterov[2]);
        Assert.True(nesterov[2] < momentum[2], "With a constant gradient the Nesterov look-ahead moves further.");
    }

    [Fact]
    public void Nesterov_without_momentum_is_plain_sgd_as_in_Keras() =>
        Assert.Equal(Run(new Sgd(0.1f), 0.3f, 4), Run(new Sgd(0.1f, 0f, nesterov: true), 0.3f, 4));

    [Fact]
    public void RmsProp_and_Adagrad_put_epsilon_inside_the_root_as_Keras_does()
    {
        // With g = 1e-4 the two placements differ visibly: √(v + ε) vs √v + ε, with v = (1 − ρ)·g² = 1e-9, ε = 1e-7.
        float[] p = [0f];
        new RmsProp(1f).Step(p, [1e-4f]);
        Assert.Equal(-1e-4 / Math.Sqrt(1e-9 + 1e-7), p[0], 1e-6);

        p = [0f];
        new Adagrad(1f, 0f, 1e-7f).Step(p, [1e-4f]);
        Assert.Equal(-1e-4 / Math.Sqrt(1e-8 + 1e-7), p[0], 1e-6);
    }

    /// <summary>One parameter starting at 1, a constant gradient, the value after each step.</summary>
    private static float[] Run(Optimizer optimizer, float gradient, int steps)
    {
        float[] p = [1f];
        var trace = new float[steps];
        for (int s = 0; s < steps; s++)
        {
            optimizer.Step(p, [gradient]);
            trace[s] = p[0];
        }

        return trace;
    }

    private static Comparer Close(float tolerance) => new(tolerance);

    private sealed class Comparer(float tolerance) : System.Collections.Generic.IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
