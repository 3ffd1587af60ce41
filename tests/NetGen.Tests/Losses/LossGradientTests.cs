using System;
using System.Linq;

namespace NetGen.Tests.Losses;

/// <summary>
/// Every loss and form: the float analytic gradient against central differences of the double reference, on seeded
/// random inputs of several shapes (batch 1, one output, a vector width and more), kept away from kinks and clip bounds.
/// </summary>
public sealed class LossGradientTests
{
    public static TheoryData<string, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string name in LossReference.Cases.Keys)
        {
            foreach ((int batch, int width) in new[] { (1, 1), (1, 5), (3, 4), (2, 1), (7, 10), (4, 19) })
            {
                data.Add(name, batch, width);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Analytic_gradient_matches_double_central_differences(string name, int batch, int width)
    {
        LossCase loss = LossReference.Cases[name];
        var rng = new Random((name.Length * 7919) + (batch * 31) + width);
        for (int trial = 0; trial < 5; trial++)
        {
            (float[] output, float[] targets) = Inputs(name, batch, width, rng);
            CheckGradient(loss, output, targets, batch, $"{name} batch {batch} width {width} trial {trial}");
        }
    }

    [Theory]
    [InlineData("BCE.FromProbabilities")]
    [InlineData("CCE.FromProbabilities")]
    [InlineData("SCCE.FromProbabilities")]
    public void Clipped_probabilities_have_zero_gradient_like_the_flat_clipped_loss(string name)
    {
        LossCase loss = LossReference.Cases[name];
        float[] output, targets;
        if (name == "BCE.FromProbabilities")
        {
            // Far enough outside [ε, 1 − ε] that the difference step stays clipped; mixed with ordinary values.
            output = [-0.3f, 0.4f, 1.5f, -1e-3f, 0.7f, 1.001f];
            targets = [1f, 0f, 0f, 0.5f, 1f, 1f];
        }
        else
        {
            // Row 0: class 1 has a tiny share (clipped), class 0 and 2 do not. Row 1: the labelled class is clipped.
            output = [0.5f, 1e-12f, 0.5f, 0.3f, 1e-13f, 0.7f];
            targets = name == "CCE.FromProbabilities" ? [0.2f, 0.5f, 0.3f, 0f, 1f, 0f] : [0f, 1f];
        }

        int batch = name == "BCE.FromProbabilities" ? 3 : 2;
        float[] gradient = CheckGradient(loss, output, targets, batch, name);
        Assert.True(float.IsFinite(loss.Kernel(output, targets, batch, [])));
        if (name == "BCE.FromProbabilities")
        {
            Assert.Equal([0f, 0f, 0f], new[] { gradient[0], gradient[2], gradient[3] });
        }
        else if (name == "SCCE.FromProbabilities")
        {
            Assert.All(gradient[3..], g => Assert.Equal(0f, g));
        }
    }

    private static float[] CheckGradient(LossCase loss, float[] output, float[] targets, int batch, string what)
    {
        var gradient = new float[output.Length];
        float value = loss.Kernel(output, targets, batch, gradient);
        double expectedValue = loss.Reference(Array.ConvertAll(output, v => (double)v), targets, batch);
        Assert.True(
            Math.Abs(value - expectedValue) <= (1e-6 * Math.Abs(expectedValue)) + 1e-7,
            $"{what}: loss {value:R}, reference {expectedValue:R}.");
        LossReference.AssertGradientsClose(LossReference.NumericGradient(loss.Reference, output, targets, batch), gradient, what);
        return gradient;
    }

    /// <summary>Random inputs in the region where each loss is smooth (no |y − t| kink, no clipping).</summary>
    internal static (float[] Output, float[] Targets) Inputs(string name, int batch, int width, Random rng)
    {
        int n = batch * width;
        float Uniform(double low, double high) => (float)(low + ((high - low) * rng.NextDouble()));
        float[] output = new float[n], targets;
        switch (name)
        {
            case "MSE":
            case "MAE":
                targets = Enumerable.Range(0, n).Select(_ => Uniform(-2, 2)).ToArray();
                for (int i = 0; i < n; i++)
                {
                    // |y − t| ≥ 0.01 keeps MAE's kink out of reach of the difference step.
                    output[i] = targets[i] + ((rng.Next(2) == 0 ? -1 : 1) * Uniform(0.01, 2));
                }

                break;
            case "BCE.FromLogits":
                output = Enumerable.Range(0, n).Select(_ => Uniform(-8, 8)).ToArray();
                targets = Enumerable.Range(0, n).Select(_ => SoftOrHard(rng)).ToArray();
                break;
            case "BCE.FromProbabilities":
                output = Enumerable.Range(0, n).Select(_ => Uniform(0.02, 0.98)).ToArray();
                targets = Enumerable.Range(0, n).Select(_ => SoftOrHard(rng)).ToArray();
                break;
            case "CCE.FromLogits":
                output = Enumerable.Range(0, n).Select(_ => Uniform(-6, 6)).ToArray();
                targets = CategoricalTargets(batch, width, rng);
                break;
            case "CCE.FromProbabilities":
                // Rows deliberately not summing to 1: Keras rescales them, and the gradient must follow.
                output = Enumerable.Range(0, n).Select(_ => Uniform(0.05, 1.5)).ToArray();
                targets = CategoricalTargets(batch, width, rng);
                break;
            case "SCCE.FromLogits":
                output = Enumerable.Range(0, n).Select(_ => Uniform(-6, 6)).ToArray();
                targets = Enumerable.Range(0, batch).Select(_ => (float)rng.Next(width)).ToArray();
                break;
            case "SCCE.FromProbabilities":
                output = Enumerable.Range(0, n).Select(_ => Uniform(0.05, 1.5)).ToArray();
                targets = Enumerable.Range(0, batch).Select(_ => (float)rng.Next(width)).ToArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown loss case.");
        }

        return (output, targets);
    }

    private static float SoftOrHard(Random rng) => rng.Next(3) switch
    {
        0 => 0f,
        1 => 1f,
        _ => (float)rng.NextDouble(),
    };

    /// <summary>One-hot rows, soft rows summing to 1, and unnormalized weights (where Σt enters the logits gradient).</summary>
    private static float[] CategoricalTargets(int batch, int classes, Random rng)
    {
        var t = new float[batch * classes];
        for (int b = 0; b < batch; b++)
        {
            Span<float> row = t.AsSpan(b * classes, classes);
            switch (b % 3)
            {
                case 0:
                    row[rng.Next(classes)] = 1f;
                    break;
                case 1:
                    float total = 0;
                    for (int i = 0; i < classes; i++)
                    {
                        total += row[i] = (float)rng.NextDouble();
                    }

                    for (int i = 0; i < classes; i++)
                    {
                        row[i] /= total;
                    }

                    break;
                default:
                    for (int i = 0; i < classes; i++)
                    {
                        row[i] = 2f * (float)rng.NextDouble();
                    }

                    break;
            }
        }

        return t;
    }
}
