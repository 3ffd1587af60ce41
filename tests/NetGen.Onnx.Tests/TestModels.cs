using NetGen;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Every activation and layer kind in one network, on Iris's four features laid out as 2×2: Flatten, Normalization,
/// tanh, leaky ReLU with a slope other than ONNX's default 0.01, sigmoid, a linear hidden layer, Dropout, a standalone
/// ReLU layer, softmax.
/// </summary>
[Sequential(inputShape: [2, 2], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Normalization]
[Dense(8, Activation.Tanh, Name = "tanh")]
[Dense(8, Activation.LeakyReLU, Alpha = 0.2, Name = "leaky")]
[Dropout(0.2)]
[Dense(6, Activation.Sigmoid, Name = "sigmoid")]
[Dense(5, Activation.Linear, Name = "linear")]
[ActivationLayer(Activation.ReLU, Name = "relu")]
[Dense(3, Activation.Softmax, Name = "output")]
public partial class EveryLayerNet;

/// <summary>Normalization then a linear layer, for the bit-for-bit check of Sub/Div (the kernel is set to the identity).</summary>
[Sequential(inputShape: [4], Loss = Loss.MeanSquaredError)]
[Normalization]
[Dense(4, Name = "identity")]
public partial class NormalizationOnly;

/// <summary>A tanh regression output, the one activation no sample ends with.</summary>
[Sequential(inputShape: [10], Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.LeakyReLU, Alpha = 0.05)]
[Dense(2, Activation.Tanh)]
public partial class TanhOutput;
