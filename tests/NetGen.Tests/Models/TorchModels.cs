using NetGen;

namespace NetGen.Tests.Models;

/// <summary>
/// Fixtures/torch/models.py's <c>sequential()</c>: Sequential(Normalization, Linear, ReLU, Dropout, Linear, LeakyReLU,
/// Linear, Linear, Softmax), so its weights are 1.weight, 4.weight, 6.weight (square) and 7.weight.
/// </summary>
[Sequential(inputShape: [5], Loss = Loss.SparseCategoricalCrossEntropy)]
[Normalization]
[Dense(8, Activation.ReLU)]
[Dropout(0.2)]
[Dense(6, Activation.LeakyReLU, Alpha = 0.1)]
[Dense(6)]
[Dense(3, Activation.Softmax)]
public partial class TorchSequential;

/// <summary>Fixtures/torch/models.py's <c>Named</c>: its modules fc1, fc2 and head are NetGen's hidden, middle and output.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(4, Activation.Sigmoid, Name = "middle")]
[Dense(2, Name = "output")]
public partial class TorchNamed;

/// <summary>
/// Fixtures/torch/models.py's <c>cnn()</c>: Sequential(Conv2d + ReLU, BatchNorm2d, MaxPool2d, Conv2d (2×3) + Tanh,
/// Flatten, BatchNorm1d, Dropout, Linear + Softmax) on an 8×8×3 image; Keras's epsilon in PyTorch's BatchNorms.
/// </summary>
[Sequential(inputShape: [8, 8, 3], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]
[BatchNormalization]
[MaxPooling2D(2)]
[Conv2D(5, [2, 3], Activation.Tanh)]
[Flatten]
[BatchNormalization]
[Dropout(0.2)]
[Dense(3, Activation.Softmax)]
public partial class TorchCnn;

/// <summary>
/// samples/FashionCnn's SimpleConvnet (Keras's simple MNIST convnet) under the name load_netgen.py knows: models.py's
/// <c>convnet()</c>, torch_cnn.py's nn.Sequential with its softmax.
/// </summary>
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Flatten]
[Dropout(0.5)]
[Dense(10, Activation.Softmax)]
public partial class TorchConvnet;

/// <summary>Global average pooling takes two nn.Sequential indices (AdaptiveAvgPool2d(1), Flatten()).</summary>
[Sequential(inputShape: [5, 5, 2], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(4, 3, Activation.ReLU)]
[GlobalAveragePooling2D]
[Dense(3, Activation.Softmax)]
public partial class TorchGlobalPooling;
