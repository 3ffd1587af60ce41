using NetGen;

namespace Samples.Digits;

/// <summary>The course's PyTorch MLP for the 8×8 digits: 64 → 32 → 16 → 10, ReLU, cross-entropy.</summary>
[Sequential(inputShape: [8, 8], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(32, Activation.ReLU, Name = "hidden_1")]
[Dense(16, Activation.ReLU, Name = "hidden_2")]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class DigitsNet;
