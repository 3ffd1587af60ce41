using System;
using System.Linq;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// A first-layer Conv2D with ReLU and a short valid window, directly followed by MaxPooling2D(2), is emitted as the
/// runtime's fused pair (Conv2DMaxPoolingPair), in the training and inference forward passes and in the backward pass;
/// any other Conv2D with ReLU directly under a MaxPooling2D fuses its backward pass (Conv2DMaxPoolingBackward); every
/// other arrangement keeps the two layers' own calls. The Keras convnet's snapshot (EmitterSnapshotTests.Cnn)
/// holds the fused code in full.
/// </summary>
public sealed class FusedConvPoolTests
{
    [Theory]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(2)]", "[28, 28, 1]")]
    [InlineData("[Conv2D(8, [2, 3], Activation.ReLU, Strides = 2)]\n[MaxPooling2D([2, 2], Strides = 2)]", "[15, 16, 3]")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(2)]", "[28, 28, 3]")]
    public void The_pair_is_fused_each_way(string layers, string input)
    {
        (string forward, string backward) = Generate(layers, input);
        Assert.Equal(2, Count(forward, "Conv2D.ForwardBiasReluMaxPool("));
        Assert.Equal(0, Count(forward, "MaxPooling2D.Forward("));
        Assert.Equal(1, Count(backward, "Conv2D.BackwardBiasReluMaxPool("));
        Assert.Equal(0, Count(backward, "MaxPooling2D.Backward("));
        Assert.Equal(0, Count(backward, "ReluBackward("));
    }

    [Theory]
    [InlineData("[Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)]\n[MaxPooling2D(2)]", "[28, 28, 1]", "padded window")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(2)]", "[28, 28, 4]", "a 36-deep window goes to Gemm")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(3)]", "[28, 28, 1]", "3×3 pooling")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(2, Strides = 1)]", "[28, 28, 1]", "overlapping pooling")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(2, Padding = Padding.Same)]", "[27, 27, 1]", "padded pooling")]
    [InlineData("[Conv2D(2, 1)]\n[Conv2D(8, 3, Activation.ReLU)]\n[MaxPooling2D(2)]", "[28, 28, 1]", "not the first trainable layer")]
    public void Other_ReLU_convolutions_under_max_pooling_fuse_only_the_backward_pass(string layers, string input, string why)
    {
        (string forward, string backward) = Generate(layers, input);
        Assert.True(Count(forward, "BiasReluMaxPool(") == 0, why);
        Assert.True(Count(backward, "BiasReluMaxPool(") == 0, why);
        Assert.True(Count(forward, "MaxPooling2D.Forward(") == 2, why);
        Assert.True(Count(backward, "Conv2D.BackwardReluMaxPool(") == 1, why);
        Assert.True(Count(backward, "MaxPooling2D.Backward(") == 0, why);
        Assert.True(Count(backward, "ReluBackward(") == 0, why);
    }

    [Theory]
    [InlineData("[Conv2D(8, 3, Activation.LeakyReLU)]\n[MaxPooling2D(2)]", "[28, 28, 1]", "leaky ReLU")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[AveragePooling2D(2)]", "[28, 28, 1]", "average pooling")]
    [InlineData("[Conv2D(8, 3, Activation.ReLU)]\n[BatchNormalization]\n[MaxPooling2D(2)]", "[28, 28, 1]", "a layer between")]
    public void Other_arrangements_keep_the_layers_own_calls(string layers, string input, string why)
    {
        (string forward, string backward) = Generate(layers, input);
        Assert.True(Count(forward, "ReluMaxPool(") == 0, why);
        Assert.True(Count(backward, "ReluMaxPool(") == 0, why);
    }

    private static (string Forward, string Backward) Generate(string layers, string input)
    {
        HarnessResult result = GeneratorHarness.Run($$"""
            using NetGen;

            [Sequential(inputShape: {{input}}, Loss = Loss.SparseCategoricalCrossEntropy)]
            {{layers}}
            [Flatten]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.AnalyzerDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Empty(result.OutputDiagnostics);
        return (result.GeneratedSources.Single(f => f.HintName == "Net.Forward.g.cs").Text,
            result.GeneratedSources.Single(f => f.HintName == "Net.Backward.g.cs").Text);
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
