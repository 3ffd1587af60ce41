using NetGen;

#pragma warning disable NG0203 // softmax with MSE: declared on purpose, to check the non-fused softmax backward
namespace NetGen.Tests.Models;

/// <summary>The course's XOR network.</summary>
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(2, Activation.Sigmoid, Name = "hidden")]
[Dense(1, Activation.Sigmoid, Name = "output")]
public partial class Xor221;

/// <summary>XOR with a wider tanh hidden layer, which almost never sticks in a local minimum.</summary>
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(1, Activation.Sigmoid, Name = "output")]
public partial class Xor241Tanh;

/// <summary>Softmax fused with sparse categorical cross-entropy, behind ReLU and LeakyReLU layers and a Flatten.</summary>
[Sequential(inputShape: [2, 3], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU, Alpha = 0.1)]
[Dense(3, Activation.Softmax)]
public partial class SparseClassifier;

/// <summary>Softmax fused with categorical cross-entropy (one-hot targets).</summary>
[Sequential(inputShape: [4], Loss = Loss.CategoricalCrossEntropy)]
[Dense(6, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class OneHotClassifier;

/// <summary>A layer 600 wide: batch prediction runs it in chunks of 256 rows, not 1 024.</summary>
[Sequential(inputShape: [4], Loss = Loss.MeanSquaredError)]
[Dense(600, Activation.ReLU)]
[Dense(2)]
public partial class WideRegressor;

/// <summary>Regression: linear output, mean squared error.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.Sigmoid)]
[Dense(2)]
public partial class Regressor;

/// <summary>Mean absolute error over a linear output.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.LeakyReLU)]
[Dense(2)]
public partial class AbsoluteRegressor;

/// <summary>Non-fused paths: a sigmoid output under MSE, and binary cross-entropy over a tanh-free sigmoid computed from probabilities is covered by <see cref="SigmoidBce"/>.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxMse;

/// <summary>Binary cross-entropy with several independent sigmoid outputs (multi-label), fused.</summary>
[Sequential(inputShape: [3], Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidBce;

/// <summary>Categorical cross-entropy over a sigmoid output: the loss is computed from probabilities (not fused).</summary>
[Sequential(inputShape: [3], Loss = Loss.CategoricalCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidCce;

/// <summary>The course's Fashion-MNIST MLP shape, for allocation and dropout tests.</summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dropout(0.3)]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class Mlp;

/// <summary>The course's housing network shape: Normalization adapted to the data, then Dense ReLU layers and a linear output.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Normalization]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
[Dense(1)]
public partial class NormalizedRegressor;

/// <summary>L2 kernel regularizers (Keras's kernel_regularizer=l2(…)), one strong enough to dominate its gradients.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(5, Activation.Tanh, KernelL2 = 0.5)]
[Dense(2, KernelL2 = 0.01)]
public partial class L2Regressor;

/// <summary><see cref="L2Regressor"/> without its regularizers.</summary>
[Sequential(inputShape: [3], Loss = Loss.MeanSquaredError)]
[Dense(5, Activation.Tanh)]
[Dense(2)]
public partial class Regressor2;

/// <summary>A small classifier with dropout, for resumed training (shuffles and masks both matter).</summary>
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dropout(0.3)]
[Dense(3, Activation.Softmax)]
public partial class DropoutClassifier;
