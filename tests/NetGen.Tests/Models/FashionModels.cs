using NetGen;

namespace NetGen.Tests.Models;

/// <summary>The course's Fashion-MNIST softmax model (same declaration as samples/FashionMnist; its MLP is
/// <see cref="Mlp"/>).</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class FashionSoftmax;
