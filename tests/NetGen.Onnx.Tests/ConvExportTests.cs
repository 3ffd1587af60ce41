using System;
using System.Linq;
using System.Runtime.InteropServices;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Data;
using Onnx;
using Samples.FashionCnn;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Convolutional models in ONNX: NetGen's NHWC tensors meet ONNX's NCHW operators through Transpose nodes, the
/// kernels are reordered, 'same' padding becomes explicit pads, and BatchNormalization is exported in inference form.
/// Then trained models on real Fashion-MNIST images must predict in ONNX Runtime what they predict in NetGen.
/// </summary>
public sealed class ConvExportTests(ITestOutputHelper output)
{
    [Fact]
    public void The_simple_convnet_turns_channels_first_once_and_back_before_its_flatten()
    {
        ModelProto onnx = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new SimpleConvnet(1)));
        Assert.Equal(
            ["Transpose", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Transpose", "Flatten", "Gemm", "Softmax"],
            onnx.Graph.Node.Select(n => n.OpType));
        Assert.Equal([0L, 3, 1, 2], Attribute(onnx.Graph.Node[0], "perm").Ints);
        Assert.Equal([0L, 2, 3, 1], Attribute(onnx.Graph.Node[7], "perm").Ints); // so the Dense's rows keep NetGen's (h, w, c) order
        NodeProto conv = onnx.Graph.Node[1];
        Assert.Equal([3L, 3], Attribute(conv, "kernel_shape").Ints);
        Assert.Equal([1L, 1], Attribute(conv, "strides").Ints);
        Assert.Equal([0L, 0, 0, 0], Attribute(conv, "pads").Ints);
        NodeProto pool = onnx.Graph.Node[3];
        Assert.Equal([2L, 2], Attribute(pool, "kernel_shape").Ints);
        Assert.Equal([2L, 2], Attribute(pool, "strides").Ints);
        Assert.Equal([64L, 32, 3, 3], onnx.Graph.Initializer.Single(t => t.Name == "conv2d_1.kernel").Dims);
        Assert.Equal([1600L, 10], onnx.Graph.Initializer.Single(t => t.Name == "dense.kernel").Dims);
    }

    [Fact]
    public void A_conv_kernel_is_reordered_from_keras_hwio_to_onnx_oihw()
    {
        var model = new EveryConvKindNet(3);
        ModelProto onnx = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(model));
        TensorProto stored = onnx.Graph.Initializer.Single(t => t.Name == "strided.kernel");
        Assert.Equal([8L, 1, 3, 5], stored.Dims);
        ReadOnlySpan<float> onnxKernel = MemoryMarshal.Cast<byte, float>(stored.RawData.Span);
        Span<float> keras = model.Tensor("strided.kernel"); // [3, 5, 1, 8]
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 5; kx++)
            {
                for (int f = 0; f < 8; f++)
                {
                    Assert.Equal(keras[(((ky * 5) + kx) * 8) + f], onnxKernel[(((f * 3) + ky) * 5) + kx]);
                }
            }
        }
    }

    [Fact]
    public void Same_padding_puts_the_odd_row_and_column_at_the_bottom_and_right_and_average_pooling_does_not_count_it()
    {
        ModelProto onnx = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new EveryConvKindNet(1)));
        Assert.Equal(
            ["Transpose", "Conv", "LeakyRelu", "BatchNormalization", "MaxPool", "AveragePool", "Conv", "Sigmoid", "Conv", "Tanh",
                "AveragePool", "Conv", "Softmax", "GlobalAveragePool", "Flatten", "Gemm", "Relu", "BatchNormalization", "Gemm", "Softmax"],
            onnx.Graph.Node.Select(n => n.OpType));
        NodeProto Named(string name) => onnx.Graph.Node.Single(n => n.Name == name);

        // 28 rows, 3-row kernel, stride 2 → 14: 1 padded row, at the bottom; 5 columns → 3 padded, 1 left and 2 right.
        Assert.Equal([0L, 1, 1, 2], Attribute(Named("strided/conv"), "pads").Ints);
        Assert.Equal([2L, 2], Attribute(Named("strided/conv"), "strides").Ints);
        Assert.Equal(0.1f, Attribute(Named("strided/leaky_relu"), "alpha").F);
        Assert.Equal(1e-5f, Attribute(Named("conv_bn/batch_normalization"), "epsilon").F);
        Assert.Equal(0.001f, Attribute(Named("hidden_bn/batch_normalization"), "epsilon").F);
        Assert.Equal(["conv_bn.gamma", "conv_bn.beta", "conv_bn.moving_mean", "conv_bn.moving_variance"], Named("conv_bn/batch_normalization").Input.Skip(1));
        Assert.Equal([0L, 0, 1, 1], Attribute(Named("max_same/max_pool"), "pads").Ints);
        Assert.Equal([0L, 0, 1, 1], Attribute(Named("average_same/average_pool"), "pads").Ints);
        Assert.Equal(0, Attribute(Named("average_same/average_pool"), "count_include_pad").I);
        Assert.Equal([0L, 0, 0, 0], Attribute(Named("average/average_pool"), "pads").Ints);
        Assert.Equal(1, Attribute(Named("channel_softmax/softmax"), "axis").I); // NetGen's last axis is NCHW's channel axis
        Assert.Equal(-1, Attribute(Named("output/softmax"), "axis").I);
    }

    [Fact]
    public void Fashion_mnist_convnets_match_onnx_runtime_at_batch_1_and_1000()
    {
        if (TestData.FashionMnistDirectory(output) is not string directory)
        {
            return;
        }

        (Dataset train, Dataset test) = FashionMnist.Load(directory);
        train = train.Take(3000);
        Network[] models = [new SimpleConvnet(42), new BatchNormConvnet(42), new EveryConvKindNet(42), new PreActivationCnn(42)];
        foreach (Network model in models)
        {
            // One short epoch: trained weights, and BatchNormalization's moving statistics moved well off 0 and 1.
            model.Compile(new Adam());
            model.Fit(train, epochs: 1, batchSize: 32, seed: 42, verbose: 0);
            OrtCheck.AssertMatches(model, test.Features, 1000, output);
        }

        Assert.NotEqual(0f, models[1].Tensor("batch_normalization.moving_mean")[0]);
    }

    private static AttributeProto Attribute(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name);
}
