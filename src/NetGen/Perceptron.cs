using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Rosenblatt's perceptron: one neuron with a step activation, trained by the perceptron learning rule rather than by
/// gradients: after each sample, w += η·(y − ŷ)·x and b += η·(y − ŷ). It converges whenever the two classes are
/// linearly separable (AND, OR) and never otherwise (XOR): the point that motivates hidden layers.
/// </summary>
public sealed class Perceptron
{
    private readonly float[] _weights;

    /// <summary>Creates a perceptron with zero weights and bias.</summary>
    /// <param name="inputs">Number of inputs.</param>
    /// <param name="learningRate">The step η of the learning rule (&gt; 0).</param>
    public Perceptron(int inputs, float learningRate = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        if (!(learningRate > 0f) || float.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"learning rate must be a finite number > 0, received {learningRate}.");
        }

        _weights = new float[inputs];
        LearningRate = learningRate;
    }

    /// <summary>The weights, one per input.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The bias (the negative of the firing threshold).</summary>
    public float Bias { get; private set; }

    /// <summary>The step η of the learning rule.</summary>
    public float LearningRate { get; }

    /// <summary>The step (Heaviside) activation: 1 when <paramref name="z"/> ≥ 0, else 0.</summary>
    public static int Step(float z) => z >= 0f ? 1 : 0;

    /// <summary>The neuron's output, step(w·x + b), for one sample.</summary>
    public int Predict(ReadOnlySpan<float> input)
    {
        if (input.Length != _weights.Length)
        {
            throw new ArgumentException($"Expected {_weights.Length} inputs, received {input.Length}.", nameof(input));
        }

        float z = Bias;
        for (int i = 0; i < input.Length; i++)
        {
            z += _weights[i] * input[i];
        }

        return Step(z);
    }

    /// <summary>
    /// Applies the learning rule sample by sample, in order, for up to <paramref name="maxEpochs"/> passes, stopping
    /// after the first pass without a mistake.
    /// </summary>
    /// <param name="x">One sample per row.</param>
    /// <param name="labels">0 or 1 per sample.</param>
    /// <param name="maxEpochs">The most passes to make.</param>
    public PerceptronResult Fit(float[,] x, int[] labels, int maxEpochs = 100)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEpochs);
        int n = x.GetLength(0), d = x.GetLength(1);
        if (d != _weights.Length || labels.Length != n)
        {
            throw new ArgumentException($"Expected rows of {_weights.Length} inputs and one label per row; received {n}×{d} inputs and {labels.Length} labels.");
        }

        for (int i = 0; i < n; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"Label of sample {i} is {labels[i]}: a perceptron's labels are 0 or 1.", nameof(labels));
            }
        }

        var mistakes = new List<int>();
        var row = new float[d];
        for (int epoch = 0; epoch < maxEpochs; epoch++)
        {
            int wrong = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    row[j] = x[i, j];
                }

                int error = labels[i] - Predict(row);
                if (error != 0)
                {
                    wrong++;
                    for (int j = 0; j < d; j++)
                    {
                        _weights[j] += LearningRate * error * row[j];
                    }

                    Bias += LearningRate * error;
                }
            }

            mistakes.Add(wrong);
            if (wrong == 0)
            {
                return new PerceptronResult(true, epoch + 1, mistakes);
            }
        }

        return new PerceptronResult(false, maxEpochs, mistakes);
    }
}

/// <summary>How perceptron training went.</summary>
/// <param name="Converged">Whether a pass classified every sample correctly.</param>
/// <param name="Epochs">Passes made.</param>
/// <param name="MistakesPerEpoch">Misclassified samples in each pass.</param>
public sealed record PerceptronResult(bool Converged, int Epochs, IReadOnlyList<int> MistakesPerEpoch);
