using NetGen;

namespace Samples.Browser;

/// <summary>
/// samples/FashionMnist's MLP (784 → 100 ReLU → Dropout(0.3) → 10 softmax) with the weights that sample trained
/// compiled in: the build checks fashion-mlp.safetensors against these layers and fails with an NG error if they differ.
/// </summary>
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy, Weights = "fashion-mlp.safetensors")]
[Flatten]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dropout(0.3)]
[Dense(10, Activation.Softmax, Name = "output")]
public partial class FashionMlp;
