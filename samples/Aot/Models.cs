using NetGen;

namespace Samples.Aot;

/// <summary>Three classes on a 2-D checkerboard: every dense kernel path (ReLU, tanh, LeakyReLU, softmax) behind a Normalization.</summary>
[Sequential(inputShape: [2], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(64, Activation.ReLU, Name = "hidden")]
[Dropout(0.1)]
[Dense(32, Activation.Tanh, Name = "hidden_2")]
[Dense(16, Activation.LeakyReLU, Alpha = 0.1, Name = "hidden_3")]
[Dense(3, Activation.Softmax, Name = "output")]
public partial class BoardNet;

/// <summary>The course's XOR network: sigmoid layers and the fused binary cross-entropy.</summary>
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Sigmoid, Name = "hidden")]
[Dense(1, Activation.Sigmoid, Name = "output")]
public partial class XorNet;
