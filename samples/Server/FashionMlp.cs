using NetGen;

namespace Samples.Server;

/// <summary>The course's Fashion-MNIST MLP: 784 pixels, 100 ReLU units with dropout, a 10-way softmax.</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dropout(0.3)]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class FashionMlp;
