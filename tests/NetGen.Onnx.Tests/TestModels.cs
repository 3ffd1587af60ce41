using NetGen;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Every activation and layer kind in one network, on Iris's four features laid out as 2×2: Flatten, Normalization,
/// tanh, leaky ReLU with a slope other than ONNX's default 0.01, sigmoid, a linear hidden layer, Dropout, a standalone
/// ReLU layer, softmax.
/// </summary>
[Sequential(inputShape: [2, 2], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Normalization]
[Dense(8, Activation.Tanh, Name = "tanh")]
[Dense(8, Activation.LeakyReLU, Alpha = 0.2, Name = "leaky")]
[Dropout(0.2)]
[Dense(6, Activation.Sigmoid, Name = "sigmoid")]
[Dense(5, Activation.Linear, Name = "linear")]
[ActivationLayer(Activation.ReLU, Name = "relu")]
[Dense(3, Activation.Softmax, Name = "output")]
public partial class EveryLayerNet;

/// <summary>Normalization then a linear layer, for the bit-for-bit check of Sub/Div (the kernel is set to the identity).</summary>
[Sequential(inputShape: [4], Loss = Loss.MeanSquaredError)]
[Normalization]
[Dense(4, Name = "identity")]
public partial class NormalizationOnly;

/// <summary>A tanh regression output, the one activation no sample ends with.</summary>
[Sequential(inputShape: [10], Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.LeakyReLU, Alpha = 0.05)]
[Dense(2, Activation.Tanh)]
public partial class TanhOutput;

/// <summary>
/// Every convolutional kind on a Fashion-MNIST image, with the geometry ONNX makes explicit: a rectangular kernel with
/// strides 2 and 'same' padding whose odd extra row and column fall at the bottom and right (pads [0, 1, 1, 2]),
/// BatchNormalization per channel and per feature (momentum and epsilon not Keras's defaults), max and average
/// pooling with 'same' padding (padded cells never win, never count), a 1×1 and a 2×2 convolution, valid average
/// pooling, a per-pixel softmax over channels, and global average pooling into the Dense head.
/// </summary>
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(8, [3, 5], Activation.LeakyReLU, Alpha = 0.1, Strides = 2, Padding = Padding.Same, Name = "strided")]
[BatchNormalization(Momentum = 0.9, Epsilon = 1e-5, Name = "conv_bn")]
[MaxPooling2D(3, Strides = 2, Padding = Padding.Same, Name = "max_same")]
[AveragePooling2D(2, Strides = 1, Padding = Padding.Same, Name = "average_same")]
[Conv2D(6, 1, Activation.Sigmoid, Name = "pointwise")]
[Conv2D(6, 2, Activation.Tanh, Name = "tanh")]
[AveragePooling2D(2, Name = "average")]
[Conv2D(5, 1, Activation.Softmax, Name = "channel_softmax")]
[GlobalAveragePooling2D]
[Dense(16, Activation.ReLU, Name = "hidden")]
[BatchNormalization(Momentum = 0.9, Name = "hidden_bn")]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class EveryConvKindNet;

/// <summary>
/// Keras's other BatchNormalization placement, between a linear convolution and its activation (an Activation layer
/// on the channels-first tensor), and an Activation layer between the Flatten and the Dense.
/// </summary>
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(8, 3, Name = "conv")]
[BatchNormalization(Name = "conv_bn")]
[ActivationLayer(Activation.ReLU, Name = "conv_relu")]
[MaxPooling2D(2)]
[Flatten]
[ActivationLayer(Activation.Tanh, Name = "features_tanh")]
[Dense(10, Activation.Softmax)]
public partial class PreActivationCnn;
