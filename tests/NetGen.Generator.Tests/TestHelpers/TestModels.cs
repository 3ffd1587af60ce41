using System.Collections.Generic;

namespace NetGen.Generator.Tests.TestHelpers;

/// <summary>Representative valid models, shared by the snapshot, caching and diagnostic tests.</summary>
internal static class TestModels
{
    /// <summary>The XOR sample: 2-2-1 sigmoid, binary cross-entropy (fused with the output sigmoid).</summary>
    public const string Xor = """
        using NetGen;

        namespace Samples.Xor;

        /// <summary>The course's XOR network.</summary>
        [Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
        [Dense(2, Activation.Sigmoid, Name = "hidden")]
        [Dense(1, Activation.Sigmoid, Name = "output")]
        public partial class XorNet;
        """;

    /// <summary>
    /// Keras's "simple MNIST convnet" (keras.io/examples/vision/mnist_convnet): 28×28×1 → Conv2D(32, 3, ReLU) →
    /// MaxPooling2D(2) → Conv2D(64, 3, ReLU) → MaxPooling2D(2) → Flatten → Dropout(0.5) → Dense(10, softmax); 34,826 parameters.
    /// </summary>
    public const string Cnn = """
        using NetGen;

        namespace Samples.Fashion;

        [Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
        [Conv2D(32, 3, Activation.ReLU)]
        [MaxPooling2D(2)]
        [Conv2D(64, 3, Activation.ReLU)]
        [MaxPooling2D(2)]
        [Flatten]
        [Dropout(0.5)]
        [Dense(10, Activation.Softmax)]
        public partial class FashionCnn;
        """;

    /// <summary>
    /// A CNN with BatchNormalization after a linear convolution and after a Dense layer, same padding with a stride, an
    /// average pooling, a global average pooling and a sigmoid convolution: every new kind and path once.
    /// </summary>
    public const string BatchNormCnn = """
        using NetGen;

        namespace Samples.Fashion;

        [Sequential(inputShape: [12, 12, 3], Loss = Loss.SparseCategoricalCrossEntropy)]
        [Conv2D(8, [3, 5], Padding = Padding.Same, Strides = 2, Name = "conv")]
        [BatchNormalization(Name = "conv_bn")]
        [AveragePooling2D(2, Name = "pool")]
        [Conv2D(6, 1, Activation.Sigmoid, Name = "mix")]
        [GlobalAveragePooling2D(Name = "gap")]
        [Dense(16, Activation.Tanh, Name = "hidden")]
        [BatchNormalization(Momentum = 0.9, Epsilon = 1e-5, Name = "hidden_bn")]
        [Dense(4, Activation.Softmax, Name = "output")]
        public partial class BatchNormCnn;
        """;

    /// <summary>An MNIST MLP: [28, 28] flattened, 784→100 ReLU, dropout 0.3, 10 softmax, sparse labels.</summary>
    public const string Mlp = """
        using NetGen;

        namespace Samples.Mnist;

        [Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
        [Flatten]
        [Dense(100, Activation.ReLU, Name = "hidden")]
        [Dropout(0.3)]
        [Dense(10, Activation.Softmax, Name = "output")]
        public sealed partial class MnistMlp;
        """;

    /// <summary>A regression net with Keras's default layer names: tanh and LeakyReLU(0.1) hidden layers, a linear output, MSE.</summary>
    public const string Regression = """
        using NetGen;

        namespace Samples.Regression;

        [Sequential(13, Loss = Loss.MeanSquaredError)]
        [Dense(32, Activation.Tanh)]
        [Dense(16, Activation.LeakyReLU, Alpha = 0.1)]
        [Dense(1)]
        internal partial class HousingRegressor;
        """;

    /// <summary>A model nested in a partial class in the global namespace, with one-hot categorical cross-entropy.</summary>
    public const string Nested = """
        using NetGen;

        public static partial class Models
        {
            [Sequential(4, Loss = Loss.CategoricalCrossEntropy)]
            [Dense(8, Activation.ReLU, Name = "hidden")]
            [Dense(3, Activation.Softmax, Name = "output")]
            public partial class IrisNet
            {
            }
        }
        """;

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        [nameof(Xor)] = Xor,
        [nameof(Mlp)] = Mlp,
        [nameof(Regression)] = Regression,
        [nameof(Nested)] = Nested,
        [nameof(Cnn)] = Cnn,
        [nameof(BatchNormCnn)] = BatchNormCnn,
    };

    /// <summary>The names of <see cref="All"/>, as theory data.</summary>
    public static TheoryData<string> Names => [.. All.Keys];
}
