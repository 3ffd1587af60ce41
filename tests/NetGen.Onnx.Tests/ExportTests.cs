using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Samples.FashionMnist;
using Samples.Iris;
using Samples.Xor;

namespace NetGen.Onnx.Tests;

/// <summary>What the exported graph holds, how it is named and written, and what it refuses.</summary>
public sealed class ExportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_mlp_is_gemm_relu_gemm_softmax_behind_a_flatten_and_its_dropout_is_left_out()
    {
        ModelProto onnx = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new MlpClassifier(1)));
        Assert.Equal(8, onnx.IrVersion);
        Assert.Equal(17, Assert.Single(onnx.OpsetImport).Version);
        Assert.Equal(["Flatten", "Gemm", "Relu", "Gemm", "Softmax"], onnx.Graph.Node.Select(n => n.OpType));
        Assert.Equal(1, Attribute(onnx.Graph.Node[0], "axis").I);
        Assert.Equal(-1, Attribute(onnx.Graph.Node[4], "axis").I);
        // Keras's kernel is [inputs, units]: used as B without a transpose.
        NodeProto gemm = onnx.Graph.Node[1];
        Assert.Equal(0, Attribute(gemm, "transB").I);
        Assert.Equal([onnx.Graph.Node[0].Output[0], "hidden.kernel", "hidden.bias"], gemm.Input);
        TensorProto kernel = onnx.Graph.Initializer.Single(t => t.Name == "hidden.kernel");
        Assert.Equal([784L, 100L], kernel.Dims);
        Assert.Equal("output", onnx.Graph.Node[^1].Output.Single());
        Assert.Equal(["hidden.kernel", "hidden.bias", "output.kernel", "output.bias"], onnx.Graph.Initializer.Select(t => t.Name));
    }

    [Fact]
    public void The_initializers_hold_the_weights_as_they_are_in_the_model()
    {
        var model = new XorNet(5);
        ModelProto onnx = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(model));
        foreach (TensorInfo tensor in model.Info.Tensors)
        {
            TensorProto stored = onnx.Graph.Initializer.Single(t => t.Name == tensor.Name);
            Assert.Equal(tensor.Shape.Select(d => (long)d), stored.Dims);
            Assert.Equal(model.Tensor(tensor.Name).ToArray(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(stored.RawData.Span).ToArray());
        }
    }

    [Fact]
    public void Input_and_output_carry_a_dynamic_batch_dimension_and_the_chosen_names()
    {
        var options = new OnnxExportOptions { InputName = "pixels", OutputName = "probabilities", BatchDimensionName = "n" };
        using var session = new InferenceSession(OnnxExporter.ToBytes(new MlpClassifier(1), options));
        NodeMetadata input = Assert.Single(session.InputMetadata, m => m.Key == "pixels").Value;
        Assert.Equal([-1, 28, 28], input.Dimensions);
        Assert.Equal("n", input.SymbolicDimensions[0]);
        NodeMetadata output = Assert.Single(session.OutputMetadata, m => m.Key == "probabilities").Value;
        Assert.Equal([-1, 10], output.Dimensions);

        var x = new float[3 * 784];
        x.AsSpan().Fill(0.5f);
        float[] y = OrtCheck.Run(session, x, 3, new MlpClassifier(1).Info, "pixels", "probabilities");
        Assert.Equal(30, y.Length);

        ModelProto defaults = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new XorNet(1)));
        Assert.Equal("input", defaults.Graph.Input.Single().Name);
        Assert.Equal("output", defaults.Graph.Output.Single().Name);
        Assert.Equal("batch", defaults.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("XorNet", defaults.Graph.Name);
    }

    [Fact]
    public void Normalization_divides_by_the_same_floats_as_netgen_so_onnx_runtime_gives_the_same_bits()
    {
        var model = new NormalizationOnly(1);
        // Features with a large mean, a tiny spread, a constant one (variance 0: divided by 1e-7) and a negative one.
        float[,] data = { { 1000.1f, 0.001f, 3f, -7.5f }, { 1000.3f, 0.0013f, 3f, -2.25f }, { 999.7f, 0.0007f, 3f, 4f }, { 1000.05f, 0.0011f, 3f, 0.1f } };
        model.Adapt(data);
        Span<float> kernel = model.Tensor("identity.kernel");
        kernel.Clear();
        for (int i = 0; i < 4; i++)
        {
            kernel[(i * 4) + i] = 1f; // y = x·I + 0 leaves the normalized values exact
        }

        model.Tensor("identity.bias").Clear();
        float[] x = [1000.2f, 0.0009f, 3f, 1.5f, 999.9f, 0.0012f, 3.0000002f, -3f];
        float[] expected = new float[8];
        model.PredictBatch(x, expected);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        float[] actual = OrtCheck.Run(session, x, 2, model.Info);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.InRange(expected[6], 2f, 3f); // 2.4e-7 over the constant feature's divisor, the 1e-7 floor rather than 0
    }

    [Fact]
    public void ExportOnnx_writes_a_file_onnx_runtime_loads_and_replaces_an_old_one()
    {
        string path = Path.Combine(_folder, "xor.onnx");
        File.WriteAllText(path, "old");
        var model = new XorNet(3);
        model.ExportOnnx(path);
        Assert.Equal(OnnxExporter.ToBytes(model), File.ReadAllBytes(path));
        using var session = new InferenceSession(path);
        Assert.Equal(4, OrtCheck.Run(session, [0, 0, 0, 1, 1, 0, 1, 1], 4, model.Info).Length);

        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
        Assert.Equal(["xor.onnx"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void An_unknown_layer_kind_is_refused_by_name_and_leaves_the_old_file()
    {
        string path = Path.Combine(_folder, "model.onnx");
        File.WriteAllText(path, "old");
        var model = new HandWritten((LayerKind)42);
        var e = Assert.Throws<NotSupportedException>(() => model.ExportOnnx(path));
        Assert.Contains("'conv' of kind 42", e.Message, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void An_unknown_activation_is_refused_by_name()
    {
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(new HandWritten(LayerKind.Dense, (Activation)9)));
        Assert.Contains("activation 9 of layer 'conv'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_normalization_never_adapted_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OnnxExporter.ToBytes(new Iris8(1)));
        Assert.Contains("never adapted", e.Message, StringComparison.Ordinal);
        Assert.Contains("Adapt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Statistics_loaded_from_a_file_count_as_adapted_as_they_do_for_Predict()
    {
        // Found in review: the exporter judged a count of 0 as "never adapted", though LoadWeights makes the model
        // predict with the file's statistics (PyTorch's buffers, for one, hold no count).
        var source = new NormalizationOnly(1);
        source.NormalizationMean.Fill(2f);
        source.NormalizationVariance.Fill(4f);
        string path = Path.Combine(_folder, "loaded.safetensors");
        source.SaveWeights(path);
        var model = new NormalizationOnly(2);
        model.LoadWeights(path);
        Assert.True(model.IsAdapted);

        float[] x = [1f, 2f, 3f, 4f];
        float[] expected = new float[4];
        model.PredictBatch(x, expected);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        Assert.Equal(expected, OrtCheck.Run(session, x, 1, model.Info));
    }

    [Theory]
    [InlineData("", "output")]
    [InlineData("input", " ")]
    [InlineData("same", "same")]
    [InlineData("hidden.kernel", "output")]
    [InlineData("input", "hidden/sigmoid")]
    public void Clashing_or_empty_names_are_refused(string input, string output)
    {
        var options = new OnnxExportOptions { InputName = input, OutputName = output };
        Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(new XorNet(1), options));
    }

    private static AttributeProto Attribute(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name);

    /// <summary>A network written by hand, as a future layer kind would arrive before the exporter knows it.</summary>
    private sealed class HandWritten(LayerKind kind, Activation activation = Activation.Linear) : Network(new NetworkInfo(
        "HandWritten", [4], 4, Loss.MeanSquaredError, Activation.Linear,
        [new LayerInfo("conv", kind, 4, [4], activation, 0, 0, 0, 20)],
        [new TensorInfo("conv.kernel", [4, 4], 0, 16, true), new TensorInfo("conv.bias", [4], 16, 4, true)],
        "summary"))
    {
        protected override ReadOnlySpan<float> ForwardCore(ReadOnlySpan<float> inputs, int batchSize, bool training) => throw new NotSupportedException();

        protected override float BackwardCore(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => throw new NotSupportedException();

        protected override float ComputeLossCore(ReadOnlySpan<float> targets, int batchSize) => throw new NotSupportedException();

        protected override int InferenceScratchPerSample => 4;

        protected override ReadOnlySpan<float> InferCore(ReadOnlySpan<float> inputs, int batchSize, Span<float> scratch) => throw new NotSupportedException();

        protected override float InferenceLossCore(ReadOnlySpan<float> scratch, ReadOnlySpan<float> targets, int batchSize, ReadOnlySpan<float> sampleWeights) => throw new NotSupportedException();

        protected override void InitializeParameters(Rng rng)
        {
        }
    }
}
