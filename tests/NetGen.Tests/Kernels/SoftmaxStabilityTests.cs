using System;
using NetGen.Kernels;
using NetGen.Tests.Models;

namespace NetGen.Tests.Kernels;

/// <summary>Softmax must stay finite and exact for logits far outside exp's float range.</summary>
public class SoftmaxStabilityTests
{
    [Theory]
    [InlineData(100f)]
    [InlineData(1000f)]
    [InlineData(-1000f)]
    public void Softmax_of_large_logits_matches_the_shifted_reference(float offset)
    {
        float[] z = [offset + 1, offset + 2, offset + 3, offset - 50];
        var a = new float[4];
        Activations.Softmax(z, a, columns: 4);
        double denominator = Math.Exp(-2) + Math.Exp(-1) + 1 + Math.Exp(-53);
        double[] expected = [Math.Exp(-2) / denominator, Math.Exp(-1) / denominator, 1 / denominator, Math.Exp(-53) / denominator];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], a[i], 6);
        }
    }

    [Fact]
    public void A_softmax_network_predicts_finite_probabilities_for_huge_inputs()
    {
        var model = new OneHotClassifier(seed: 1);
        model.Dense1Kernel.Fill(50f); // the output layer (default name dense_1); makes the output logits several hundred
        float[] p = model.Predict([1e3f, 1e3f, 1e3f, 1e3f]);
        Assert.All(p, v => Assert.True(float.IsFinite(v), $"probability {v}"));
        Assert.Equal(1f, p[0] + p[1] + p[2], 5);
    }
}
