using NetGen;

namespace NetGen.Tests.Models;

/// <summary>Iris with scikit-learn's hidden_layer_sizes=(2,), as in the course (same as samples/Iris).</summary>
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(2, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisTiny;

/// <summary>Iris with hidden_layer_sizes=(8,).</summary>
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisEight;

/// <summary>The course's 64-32-16-10 digits network (same as samples/Digits).</summary>
[Sequential(inputShape: [8, 8], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(32, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsMlp;

/// <summary>The course's housing network over the 10 diabetes features (same as samples/Regression).</summary>
[Sequential(inputShape: [10], Loss = Loss.MeanSquaredError)]
[Normalization]
[Dense(64, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class DiabetesMlp;
