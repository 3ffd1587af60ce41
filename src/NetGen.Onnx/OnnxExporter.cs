using System;
using System.IO;
using Google.Protobuf;
using NetGen.IO;

namespace NetGen.Onnx;

/// <summary>
/// Writes a NetGen network as an ONNX model that ONNX Runtime (and any tool reading ONNX opset
/// <see cref="OpsetVersion"/>) runs with the same results as <c>Predict</c>.
/// </summary>
/// <remarks>
/// <para>The graph takes a float tensor <c>[batch, …InputShape]</c> and returns <c>[batch, OutputSize]</c>; the batch
/// dimension is symbolic, so any batch size runs. Each layer becomes standard operators: Flatten as <c>Flatten</c>,
/// Normalization as <c>Sub</c> and <c>Div</c> by <c>max(√variance, 1e-7)</c> (computed here in float exactly as
/// NetGen does), Dense as <c>Gemm</c> with the kernel in Keras's <c>[inputs, units]</c> layout, then its activation
/// (<c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>, <c>LeakyRelu</c> with its alpha, <c>Softmax</c> over the last axis;
/// none for linear). Dropout is the identity at inference and is left out.</para>
/// <para>NetGen's images are channels-last (NHWC); ONNX's <c>Conv</c>, <c>MaxPool</c>, <c>AveragePool</c>,
/// <c>GlobalAveragePool</c> and <c>BatchNormalization</c> are channels-first. The graph transposes to NCHW once, at
/// the first such layer, and back to NHWC before a Flatten, so the Dense after it reads NetGen's (h, w, c) order and
/// keeps its kernel. Conv2D kernels are reordered from Keras's [kh, kw, cin, filters] to ONNX's [filters, cin, kh, kw];
/// 'same' padding becomes explicit pads with TF's odd extra row or column at the bottom or right; average pooling
/// leaves padded cells out of its count (<c>count_include_pad = 0</c>), as Keras does; BatchNormalization is exported
/// in inference form, with its moving mean and variance and its epsilon; global average pooling is followed by a
/// Flatten to [batch, channels].</para>
/// <para>The weights are copied while the model is claimed as <c>SaveWeights</c> claims it, so an export never
/// mixes two training steps. A layer kind this exporter does not know throws <see cref="NotSupportedException"/>
/// rather than writing a model that computes something else.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the graph uses: 17, supported by ONNX Runtime 1.12 and later and by onnx 1.12's checker.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The ONNX IR version written: 8, the one that goes with opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="path"/>, atomically (a reader sees the old file or the whole new one).</summary>
    /// <param name="model">The network to export.</param>
    /// <param name="path">The file to create or replace (by convention <c>*.onnx</c>).</param>
    /// <param name="options">Input, output and batch dimension names; null for <c>input</c>, <c>output</c>, <c>batch</c>.</param>
    /// <exception cref="NotSupportedException">The model has a layer kind or activation ONNX export does not handle yet.</exception>
    /// <exception cref="InvalidOperationException">The model's Normalization layer was never adapted.</exception>
    public static void Export(Network model, string path, OnnxExportOptions? options = null)
    {
        // Built before the file is opened: an unsupported model leaves no file behind.
        byte[] bytes = ToBytes(model, options);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="stream"/>; the stream is left open.</summary>
    /// <inheritdoc cref="Export(Network, string, OnnxExportOptions?)"/>
    public static void Export(Network model, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(model, options));
    }

    /// <summary>The ONNX model of <paramref name="model"/> as bytes, for example for <c>new InferenceSession(bytes)</c>.</summary>
    /// <inheritdoc cref="Export(Network, string, OnnxExportOptions?)"/>
    public static byte[] ToBytes(Network model, OnnxExportOptions? options = null) =>
        OnnxGraphBuilder.Build(model, options ?? new OnnxExportOptions()).ToByteArray();
}
