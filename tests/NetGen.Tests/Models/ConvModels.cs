using NetGen;

namespace NetGen.Tests.Models;

/// <summary>
/// Keras's "simple MNIST convnet" (keras.io/examples/vision/mnist_convnet), on Fashion-MNIST's 28×28×1 images:
/// 34,826 parameters.
/// </summary>
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Flatten]
[Dropout(0.5)]
[Dense(10, Activation.Softmax)]
public partial class KerasConvnet;

/// <summary>The convnet with BatchNormalization after each convolution (linear, then ReLU after the normalization is folded into the pooling's input).</summary>
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[BatchNormalization]
[MaxPooling2D(2)]
[Conv2D(64, 3, Activation.ReLU)]
[BatchNormalization]
[MaxPooling2D(2)]
[Flatten]
[Dropout(0.5)]
[Dense(10, Activation.Softmax)]
public partial class BatchNormConvnet;

/// <summary>For the gradient checks: a strided valid convolution with a non-square kernel, then max pooling.</summary>
[Sequential(inputShape: [7, 7, 2], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(4, [3, 2], Activation.Tanh, StrideHeight = 2, StrideWidth = 1, Name = "conv")]
[MaxPooling2D(2, Name = "pool")]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class StridedConvPool;

/// <summary>
/// For the gradient checks: a first-layer Conv2D with ReLU and a short window, then MaxPooling2D(2): the pair the
/// generator fuses both ways (Conv2D.ForwardBiasReluMaxPool), its 8×9 output leaving the last column out of the
/// pooling; then a deeper Conv2D with ReLU under an overlapping MaxPooling2D, whose backward pass is fused
/// (Conv2D.BackwardReluMaxPool).
/// </summary>
[Sequential(inputShape: [10, 11, 2], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(5, 3, Activation.ReLU, Name = "conv")]
[MaxPooling2D(2, Name = "pool")]
[Conv2D(4, 2, Activation.ReLU, Name = "conv_2")]
[MaxPooling2D(2, Strides = 1, Name = "pool_2")]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class FusedConvPool;

/// <summary>For the gradient checks: same padding (odd and even totals), overlapping average pooling with padding, global pooling.</summary>
[Sequential(inputShape: [5, 6, 2], Loss = Loss.CategoricalCrossEntropy)]
[Conv2D(3, 3, Activation.Sigmoid, Padding = Padding.Same, Name = "conv")]
[Conv2D(4, [2, 3], Activation.LeakyReLU, Alpha = 0.1, Padding = Padding.Same, Strides = 2, Name = "conv_2")]
[AveragePooling2D(2, Strides = 1, Padding = Padding.Same, Name = "pool")]
[GlobalAveragePooling2D]
[Dense(3, Activation.Softmax)]
public partial class SameConvAveragePool;

/// <summary>For the gradient checks: BatchNormalization per channel after a linear convolution, and per feature after a Dense layer.</summary>
[Sequential(inputShape: [6, 6, 1], Loss = Loss.MeanSquaredError)]
[Conv2D(4, 3, Name = "conv")]
[BatchNormalization(Name = "conv_bn")]
[MaxPooling2D(2, Name = "pool")]
[Flatten]
[Dense(5, Activation.Tanh, Name = "hidden")]
[BatchNormalization(Momentum = 0.9, Name = "hidden_bn")]
[Dense(2)]
public partial class BatchNormNet;

/// <summary>For the gradient checks: BatchNormalization as the first trainable layer, and a 1×1 convolution (the plain product path) with a per-pixel softmax.</summary>
[Sequential(inputShape: [4, 4, 3], Loss = Loss.BinaryCrossEntropy)]
[BatchNormalization(Name = "input_bn")]
[Conv2D(2, 1, Activation.Softmax, Name = "pointwise")]
[Flatten]
[Dense(1, Activation.Sigmoid)]
public partial class LeadingBatchNorm;
