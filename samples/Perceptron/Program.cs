using System;
using System.Globalization;
using NetGen;

// Rosenblatt's perceptron: one neuron, a step function and the perceptron learning rule (no gradients).
// It learns AND and OR, which a straight line separates, and cannot learn XOR, which no line does: hence hidden
// layers (see samples/Xor).
float[,] inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
Learn("AND", [0, 0, 0, 1]);
Learn("OR", [0, 1, 1, 1]);
Learn("XOR", [0, 1, 1, 0]);

void Learn(string gate, int[] labels)
{
    var perceptron = new Perceptron(inputs: 2, learningRate: 0.1f);
    PerceptronResult result = perceptron.Fit(inputs, labels, maxEpochs: 100);
    string w = string.Join(", ", Array.ConvertAll(perceptron.Weights.ToArray(), v => v.ToString("0.##", CultureInfo.InvariantCulture)));
    Console.WriteLine(result.Converged
        ? $"{gate}: learned in {result.Epochs} epochs, w = [{w}], b = {perceptron.Bias.ToString("0.##", CultureInfo.InvariantCulture)}"
        : $"{gate}: not learned after {result.Epochs} epochs ({result.MistakesPerEpoch[^1]} mistakes in the last pass): no straight line separates it");
    for (int i = 0; i < 4; i++)
    {
        int y = perceptron.Predict([inputs[i, 0], inputs[i, 1]]);
        Console.WriteLine($"  {inputs[i, 0]} {gate} {inputs[i, 1]} = {y}{(y == labels[i] ? "" : $"  (expected {labels[i]})")}");
    }
}
