using NetGen;

namespace NetGen.Tests.Models;

/// <summary>
/// Fixtures/torch/models.py's <c>sequential()</c>: Sequential(Normalization, Linear, ReLU, Dropout, Linear, LeakyReLU,
/// Linear, Linear, Softmax), so its weights are 1.weight, 4.weight, 6.weight (square) and 7.weight.
/// </summary>
[Sequential(inputShape: [5], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(8, Activation.ReLU)]
[Dropout(0.2)]
[Dense(6, Activation.LeakyReLU, Alpha = 0.1)]
[Dense(6)]
[Dense(3, Activation.Softmax)]
public partial class TorchSequential;

/// <summary>Fixtures/torch/models.py's <c>Named</c>: its modules fc1, fc2 and head are NetGen's hidden, middle and output.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(4, Activation.Sigmoid, Name = "middle")]
[Dense(2, Name = "output")]
public partial class TorchNamed;
