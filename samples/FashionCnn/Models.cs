using NetGen;

namespace Samples.FashionCnn;

/// <summary>
/// Keras's "simple MNIST convnet" (keras.io/examples/vision/mnist_convnet): two 3×3 ReLU convolutions of 32 and 64
/// filters, each followed by 2×2 max pooling, then dropout and a 10-way softmax; 34,826 parameters.
/// </summary>
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Flatten]
[Dropout(0.5)]
[Dense(10, Activation.Softmax)]
public partial class SimpleConvnet;

/// <summary>
/// The same convnet with a BatchNormalization after each convolution's ReLU (per channel; Keras's defaults, momentum
/// 0.99 and epsilon 0.001): 384 more parameters, 192 of them the non-trainable moving statistics.
/// </summary>
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
