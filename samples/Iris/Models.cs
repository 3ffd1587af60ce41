using NetGen;

namespace Samples.Iris;

// The course trains scikit-learn's MLPClassifier with hidden_layer_sizes=(2,) and (2, 2): ReLU, Adam, softmax output.
// Each model standardizes its four measurements with a Normalization layer adapted to the training split.

/// <summary>One hidden layer of 2 ReLU units: hidden_layer_sizes=(2,).</summary>
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(2, Activation.ReLU, Name = "hidden")]
[Dense(3, Activation.Softmax, Name = "output")]
public partial class Iris2;

/// <summary>Two hidden layers of 2 ReLU units: hidden_layer_sizes=(2, 2).</summary>
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(2, Activation.ReLU, Name = "hidden_1")]
[Dense(2, Activation.ReLU, Name = "hidden_2")]
[Dense(3, Activation.Softmax, Name = "output")]
public partial class Iris2x2;

/// <summary>A hidden layer of 8 ReLU units: hidden_layer_sizes=(8,).</summary>
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(8, Activation.ReLU, Name = "hidden")]
[Dense(3, Activation.Softmax, Name = "output")]
public partial class Iris8;
