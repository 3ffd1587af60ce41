using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests.Analyzers;

/// <summary>
/// The diagnostics of issue 14's layers (Conv2D, pooling, BatchNormalization): each on the argument at fault, each
/// message naming the arithmetic that fails.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string CnnTail = """
        [Flatten]
        [Dense(10, Activation.Softmax)]
        public partial class Net;
        """;

    [Theory]
    [InlineData("0")]
    [InlineData("-4")]
    public void NG0120_conv_filters_not_positive(string filters)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Conv2D({|NG0120:" + filters + "|}, 3, Name = \"conv\")]\n" + CnnTail);
        Assert.Equal("Conv2D 'conv' has " + filters + " filters: a Conv2D layer needs at least 1 (its output has one channel per filter)", Message(d));
    }

    [Theory]
    [InlineData("[Conv2D(8, {|NG0121:0|})]", "Conv2D 'conv2d' has a kernel size of 0×0: each side must be at least 1")]
    [InlineData("[Conv2D(8, {|NG0121:[3, -1]|})]", "Conv2D 'conv2d' has a kernel size of 3×-1: each side must be at least 1")]
    [InlineData("[Conv2D(8, {|NG0121:kernelSize: [0, 3]|})]", "Conv2D 'conv2d' has a kernel size of 0×3: each side must be at least 1")]
    [InlineData("[MaxPooling2D({|NG0121:0|})]", "MaxPooling2D 'max_pooling2d' has a pool size of 0×0: each side must be at least 1")]
    [InlineData("[AveragePooling2D({|NG0121:[2, 0]|})]", "AveragePooling2D 'average_pooling2d' has a pool size of 2×0: each side must be at least 1")]
    public void NG0121_window_not_positive(string layer, string message)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n" + layer + "\n" + CnnTail);
        Assert.Equal(message, Message(d));
    }

    [Theory]
    [InlineData("[Conv2D(8, {|NG0122:[3, 3, 3]|})]", "Conv2D 'conv2d' has kernelSize [3, 3, 3]: give one number for a square window, or two, [height, width]")]
    [InlineData("[Conv2D(8, {|NG0122:[3]|})]", "Conv2D 'conv2d' has kernelSize [3]: give one number for a square window, or two, [height, width]")]
    [InlineData("[MaxPooling2D({|NG0122:new int[0]|})]", "MaxPooling2D 'max_pooling2d' has poolSize []: give one number for a square window, or two, [height, width]")]
    public void NG0122_window_not_one_number_or_a_pair(string layer, string message)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n" + layer + "\n" + CnnTail);
        Assert.Equal(message, Message(d));
    }

    [Theory]
    [InlineData("[Conv2D(8, 3, {|NG0123:Strides = 0|})]", "Conv2D 'conv2d' has Strides = 0: a window moves by at least 1 at each step")]
    [InlineData("[Conv2D(8, 3, {|NG0123:StrideWidth = -1|})]", "Conv2D 'conv2d' has StrideWidth = -1: a window moves by at least 1 at each step")]
    [InlineData("[MaxPooling2D(2, {|NG0123:Strides = 0|}, StrideWidth = 2)]", "MaxPooling2D 'max_pooling2d' has Strides = 0: a window moves by at least 1 at each step")]
    [InlineData("[AveragePooling2D({|NG0123:StrideHeight = 0|})]", "AveragePooling2D 'average_pooling2d' has StrideHeight = 0: a window moves by at least 1 at each step")]
    public void NG0123_stride_not_positive(string layer, string message)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n" + layer + "\n" + CnnTail);
        Assert.Equal(message, Message(d));
    }

    [Fact]
    public void NG0124_kernel_larger_than_what_the_previous_layer_produces()
    {
        // 28 → conv 3 → 26 → pool 2 → 13 → conv 3 → 11 → pool 2 → 5 → conv 3 → 3 → pool 2 → 1, then a 3×3 kernel.
        Diagnostic d = Single("""
            [Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Conv2D(32, 3, Activation.ReLU)]
            [MaxPooling2D(2)]
            [Conv2D(64, 3, Activation.ReLU)]
            [MaxPooling2D(2)]
            [Conv2D(64, 3, Activation.ReLU)]
            [MaxPooling2D(2, Name = "pool3")]
            [Conv2D(128, {|NG0124:3|}, Name = "conv4")]
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal(
            "Conv2D 'conv4' has a 3×3 kernel but 'pool3' produces 1×1: with valid padding the window must fit inside its input, and 3 > 1 rows and 3 > 1 columns, so the output would be empty; use a smaller kernel, Padding.Same, or less downsampling before it",
            Message(d));
    }

    [Fact]
    public void NG0124_pool_window_larger_than_the_input_in_one_direction()
    {
        Diagnostic d = Single("""
            [Sequential(4, 8, 3, Loss = Loss.SparseCategoricalCrossEntropy)]
            [MaxPooling2D({|NG0124:[5, 2]|})]
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal(
            "MaxPooling2D 'max_pooling2d' has a 5×2 pool window but the input produces 4×8: with valid padding the window must fit inside its input, and 5 > 4 rows, so the output would be empty; use a smaller pool window, Padding.Same, or less downsampling before it",
            Message(d));
    }

    [Theory]
    [InlineData("[Flatten]\n[{|NG0125:Conv2D(8, 3)|}]", "Conv2D 'conv2d' needs a height × width × channels input but receives shape [784]: it comes after a layer that outputs a vector (Flatten, Dense or GlobalAveragePooling2D), so move it before that layer")]
    [InlineData("[GlobalAveragePooling2D]\n[{|NG0125:MaxPooling2D|}]", "MaxPooling2D 'max_pooling2d' needs a height × width × channels input but receives shape [1]: it comes after a layer that outputs a vector (Flatten, Dense or GlobalAveragePooling2D), so move it before that layer")]
    [InlineData("[Flatten]\n[Dense(16)]\n[{|NG0125:GlobalAveragePooling2D|}]", "GlobalAveragePooling2D 'global_average_pooling2d' needs a height × width × channels input but receives shape [16]: it comes after a layer that outputs a vector (Flatten, Dense or GlobalAveragePooling2D), so move it before that layer")]
    public void NG0125_spatial_layer_after_a_vector(string layers, string message)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n" + layers + "\n[Flatten]\n[Dense(10, Activation.Softmax)]\npublic partial class Net;");
        Assert.Equal(message, Message(d));
    }

    [Fact]
    public void NG0125_input_of_rank_four()
    {
        Diagnostic d = Single("""
            [Sequential(2, 28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]
            [{|NG0125:AveragePooling2D|}]
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("AveragePooling2D 'average_pooling2d' needs a height × width × channels input but receives shape [2, 28, 28, 1]", Message(d));
    }

    [Theory]
    [InlineData("[Sequential({|NG0126:inputShape: [28, 28]|}, Loss = Loss.SparseCategoricalCrossEntropy)]")]
    [InlineData("[Sequential({|NG0126:28, 28|}, Loss = Loss.SparseCategoricalCrossEntropy)]")]
    [InlineData("[Sequential({|NG0126:new[] { 28, 28 }|}, Loss = Loss.SparseCategoricalCrossEntropy)]")]
    public void NG0126_input_without_channel_dimension(string sequential)
    {
        // Once, on the input shape; the layers after it are then judged on 28×28×1 (no cascade).
        Diagnostic d = Single(sequential + """

            [Dropout(0.1)]
            [Conv2D(32, 3, Activation.ReLU, Name = "conv")]
            [MaxPooling2D(2)]
            [Conv2D(8, 3)]
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("Input shape [28, 28] of model 'Net' has no channel dimension, but Conv2D 'conv' needs height × width × channels: write [28, 28, 1] for one channel (grayscale), as Keras does", Message(d));
        Assert.Equal("28,28,1", d.Properties["ShapeWithChannel"]);
    }

    [Theory]
    [InlineData("[Conv2D(8, 3, {|NG0127:Strides = 2|})]", "Conv2D 'conv2d' slides a 3×3 window with strides 2×2 and valid padding over 28×28 from the input: (28 − 3) mod 2 = 1 and (28 − 3) mod 2 = 1, so no window reads the last 1 row and 1 column; use Padding.Same, or sizes where (input − window) is a multiple of the stride")]
    [InlineData("[Conv2D(8, [4, 3], Strides = 3, {|NG0127:StrideWidth = 2|})]", "Conv2D 'conv2d' slides a 4×3 window with strides 3×2 and valid padding over 28×28 from the input: (28 − 3) mod 2 = 1, so no window reads the last 1 column; use Padding.Same, or sizes where (input − window) is a multiple of the stride")]
    [InlineData("[MaxPooling2D(3, {|NG0127:Strides = 2|})]", "MaxPooling2D 'max_pooling2d' slides a 3×3 window with strides 2×2 and valid padding over 28×28 from the input: (28 − 3) mod 2 = 1 and (28 − 3) mod 2 = 1, so no window reads the last 1 row and 1 column; use Padding.Same, or sizes where (input − window) is a multiple of the stride")]
    public void NG0127_stride_leaves_rows_unused(string layer, string message)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n" + layer + "\n" + CnnTail, DiagnosticSeverity.Warning);
        Assert.Equal(message, Message(d));
    }

    [Theory]
    [InlineData("[Conv2D(8, 3, Strides = 2, Padding = Padding.Same)]")] // same padding covers every row
    [InlineData("[Conv2D(8, 4, Strides = 2)]")] // (28 − 4) mod 2 = 0
    [InlineData("[Conv2D(8, 3)]\n[MaxPooling2D(2)]\n[Conv2D(8, 3)]\n[MaxPooling2D(2)]")] // pooling tiles 11×11 into 5×5 by convention
    [InlineData("[AveragePooling2D(3)]")] // 28 = 9·3 + 1, tiled
    public void NG0127_not_for_same_padding_a_dividing_stride_or_tiled_pooling(string layers)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n" + layers + "\n" + CnnTail);
        Assert.DoesNotContain(result.AnalyzerDiagnostics, d => d.Id == "NG0127");
    }

    [Theory]
    [InlineData("{|NG0128:Momentum = 1|}", "BatchNormalization 'batch_normalization' has momentum 1: the moving statistics keep this fraction at each step (moving·momentum + batch·(1 − momentum)), so it must be in [0, 1); Keras's default is 0.99")]
    [InlineData("{|NG0128:Momentum = -0.1|}", "BatchNormalization 'batch_normalization' has momentum -0.1: the moving statistics keep this fraction at each step (moving·momentum + batch·(1 − momentum)), so it must be in [0, 1); Keras's default is 0.99")]
    [InlineData("{|NG0128:Momentum = 0.99999999999|}", "BatchNormalization 'batch_normalization' has momentum 0.99999999999 (1 as a float): the moving statistics keep this fraction at each step (moving·momentum + batch·(1 − momentum)), so it must be in [0, 1); Keras's default is 0.99")]
    public void NG0128_momentum_out_of_range(string argument, string message)
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Conv2D(8, 3)]\n[BatchNormalization(" + argument + ")]\n" + CnnTail);
        Assert.Equal(message, Message(d));
    }

    [Theory]
    [InlineData("{|NG0129:Epsilon = 0|}", "0")]
    [InlineData("{|NG0129:Epsilon = -1e-3|}", "-0.001")]
    [InlineData("{|NG0129:Epsilon = 1e-50|}", "1E-50 (0 as a float)")]
    [InlineData("{|NG0129:Epsilon = double.NaN|}", "NaN")]
    [InlineData("{|NG0129:Epsilon = 1e39|}", "1E+39 (infinity as a float)")]
    public void NG0129_epsilon_not_positive(string argument, string shown)
    {
        Diagnostic d = Single("[Sequential(8, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Dense(16, Activation.ReLU)]\n[BatchNormalization(" + argument + ")]\n[Dense(10, Activation.Softmax)]\npublic partial class Net;");
        Assert.Equal("BatchNormalization 'batch_normalization' has epsilon " + shown + ": it keeps 1/√(variance + epsilon) finite for a constant feature, so it must be a finite number > 0 as a float; Keras's default is 0.001", Message(d));
    }

    [Fact]
    public void NG0130_unknown_padding()
    {
        Diagnostic d = Single("[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Conv2D(8, 3, {|NG0130:Padding = (Padding)2|})]\n" + CnnTail);
        Assert.Equal("Conv2D 'conv2d' has padding 2, which is not a NetGen.Padding value: use Padding.Valid or Padding.Same", Message(d));
    }

    [Fact]
    public void NG0131_too_many_activations_per_sample()
    {
        Diagnostic d = Single("""
            [Sequential(1024, 1024, 3, Loss = Loss.SparseCategoricalCrossEntropy)]
            [{|NG0131:Conv2D(32, 3, Padding = Padding.Same, Name = "stem")|}]
            [GlobalAveragePooling2D]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("Conv2D 'stem' outputs 1024×1024×32 = 33,554,432 values per sample, over NetGen's limit of 16,777,216 per layer (64 MiB per sample; a training batch of 32 would hold 4.0 GiB in this layer alone): use fewer filters, more downsampling before it, or a smaller input", Message(d));
    }

    [Fact]
    public void NG0106_dense_after_a_convolution_needs_flatten()
    {
        Diagnostic d = Single("""
            [Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Conv2D(32, 3, Activation.ReLU)]
            [MaxPooling2D(2)]
            [{|NG0106:Dense(10, Activation.Softmax)|}]
            public partial class Net;
            """);
        Assert.Equal("Layer 'dense' needs a 1-D input but receives shape [13, 13, 32]: insert [Flatten] before it", Message(d));
    }

    [Fact]
    public void NG0105_conv_parameters_over_the_limit()
    {
        // 64·64·4096·4096 = 68,719,476,736 kernel weights + 4096 biases.
        Diagnostic d = Single("""
            [Sequential(64, 64, 4096, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Conv2D({|NG0105:4096|}, 64)]
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'conv2d' brings the parameter count to 68,719,480,832, over NetGen's limit of 268,435,456: use fewer units or fewer input features", Message(d));
    }

    [Fact]
    public void NG0109_normalization_after_a_batch_normalization()
    {
        // BatchNormalization has trainable weights, so the backward pass reaches it: a Normalization after it is refused.
        Diagnostic d = Single("""
            [Sequential(8, Loss = Loss.SparseCategoricalCrossEntropy)]
            [BatchNormalization(Name = "bn")]
            [{|NG0109:Normalization|}]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("Normalization layer 'normalization' comes after 'bn', a layer with trainable weights: it standardizes the raw input features that Adapt measures, so put it before the first Dense, Conv2D or BatchNormalization layer", Message(d));
    }

    [Fact]
    public void Conv2D_activation_is_judged_as_Dense_s()
    {
        Verify("""
            [Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Conv2D(8, 3, {|NG0111:(Activation)9|})]
            [Conv2D(8, 3, Activation.LeakyReLU, {|NG0103:Alpha = -1|})]
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
    }

    [Fact]
    public void Independent_mistakes_in_a_cnn_are_all_reported_once()
    {
        // The bad kernel leaves conv's output unknown, so the Dense after it is not judged for its input (no NG0106).
        Verify("""
            [Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Conv2D(8, {|NG0121:0|})]
            [BatchNormalization({|NG0128:Momentum = 2|})]
            [MaxPooling2D(2, {|NG0123:Strides = -2|})]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
    }
}
