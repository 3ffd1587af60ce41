using NetGen;

namespace Samples.FashionMnist;

/// <summary>The course's first model: multinomial logistic regression, 784 pixels straight into a 10-way softmax.</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class SoftmaxClassifier;

/// <summary>The course's second model: one hidden ReLU layer of 100 units with dropout.</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dropout(0.3)]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class MlpClassifier;
