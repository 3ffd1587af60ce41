using NetGen;

namespace NetGen.Tests.Models;

/// <summary>The course's Fashion-MNIST softmax model (same declaration as samples/FashionMnist).</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class FashionSoftmax;

/// <summary>The course's Fashion-MNIST MLP (same declaration as samples/FashionMnist).</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dropout(0.3)]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class FashionMlp;
