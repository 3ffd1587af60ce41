using NetGen;

namespace Samples.Xor;

/// <summary>The course's XOR network: 2 inputs, a hidden layer of 2 sigmoid units, 1 sigmoid output, binary cross-entropy.</summary>
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(2, Activation.Sigmoid, Name = "hidden")]
[Dense(1, Activation.Sigmoid, Name = "output")]
public partial class XorNet;
