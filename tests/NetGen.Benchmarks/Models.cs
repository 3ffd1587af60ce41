using NetGen;

namespace NetGen.Benchmarks;

// The course's models, declared here exactly as samples/FashionMnist/Models.cs and samples/Xor/XorNet.cs declare them,
// so the benchmarks measure the code the generator writes for those shapes.

/// <summary>Multinomial logistic regression: 784 pixels straight into a 10-way softmax (RMSprop in the course).</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class SoftmaxClassifier;

/// <summary>784 → 100 ReLU → Dropout(0.3) → 10 softmax (Adam in the peer comparison).</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dropout(0.3)]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class MlpClassifier;

/// <summary>XOR 2-2-1: sigmoid hidden and output, binary cross-entropy (Adam 0.01, full batch of 4).</summary>
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(2, Activation.Sigmoid, Name = "hidden")]
[Dense(1, Activation.Sigmoid, Name = "output")]
public partial class XorNet;
