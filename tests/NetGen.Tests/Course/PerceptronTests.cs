using System;
namespace NetGen.Tests.Course;

/// <summary>The course's perceptron: AND and OR are learned by one neuron, XOR cannot be.</summary>
public class PerceptronTests
{
    private static readonly float[,] Inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };

    [Theory]
    [InlineData(new[] { 0, 0, 0, 1 })] // AND
    [InlineData(new[] { 0, 1, 1, 1 })] // OR
    public void Learns_linearly_separable_gates(int[] labels)
    {
        var perceptron = new Perceptron(inputs: 2, learningRate: 0.1f);
        PerceptronResult result = perceptron.Fit(Inputs, labels, maxEpochs: 100);
        Assert.True(result.Converged);
        Assert.Equal(0, result.MistakesPerEpoch[^1]);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(labels[i], perceptron.Predict([Inputs[i, 0], Inputs[i, 1]]));
        }
    }

    [Fact]
    public void Cannot_learn_xor_however_long_it_trains()
    {
        var perceptron = new Perceptron(inputs: 2, learningRate: 0.1f);
        PerceptronResult result = perceptron.Fit(Inputs, [0, 1, 1, 0], maxEpochs: 1000);
        Assert.False(result.Converged);
        Assert.Equal(1000, result.Epochs);
        Assert.All(result.MistakesPerEpoch, m => Assert.True(m >= 1));
    }

    [Fact]
    public void The_learning_rule_is_applied_exactly()
    {
        // First sample (0,0) with label 1: ŷ = step(0) = 1, no change. Second (1,1) label 0: ŷ = 1, error −1:
        // w = (−0.5, −0.5), b = −0.5.
        var perceptron = new Perceptron(2, learningRate: 0.5f);
        perceptron.Fit(new float[,] { { 0, 0 }, { 1, 1 } }, [1, 0], maxEpochs: 1);
        Assert.Equal([-0.5f, -0.5f], perceptron.Weights.ToArray());
        Assert.Equal(-0.5f, perceptron.Bias);
        Assert.Equal(1, Perceptron.Step(0f));
        Assert.Equal(0, Perceptron.Step(-1e-6f));
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Perceptron(2, learningRate: 0f));
        var perceptron = new Perceptron(2);
        Assert.Throws<ArgumentException>(() => perceptron.Fit(Inputs, [0, 1, 2, 0]));
        Assert.Throws<ArgumentException>(() => perceptron.Predict(new float[3]));
    }
}
