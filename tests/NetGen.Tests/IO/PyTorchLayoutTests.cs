using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NetGen.Tests.Models;

namespace NetGen.Tests.IO;

/// <summary>
/// <see cref="WeightLayout.PyTorch"/>: files PyTorch wrote (Fixtures/torch, made by make_fixture.py) load and predict
/// what PyTorch predicted; NetGen writes PyTorch's tensors exactly; and the metadata keeps either layout from loading
/// as the other.
/// </summary>
public sealed class PyTorchLayoutTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch");

    private static readonly Dictionary<string, string> NamedModules = new() { ["hidden"] = "fc1", ["middle"] = "fc2", ["output"] = "head" };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_pytorch_cnn_file_with_batch_norm_counters_predicts_what_pytorch_predicted()
    {
        // cnn.safetensors is save_file(model.state_dict()): weights [out, in, kh, kw], BatchNorm running statistics,
        // num_batches_tracked as I64 scalars, a Linear reading PyTorch's (c, h, w) flatten order. Inputs are NHWC rows.
        var model = new TorchCnn(seed: 1);
        model.LoadWeights(Fixture("cnn.safetensors"), WeightLayout.PyTorch);
        Assert.NotEqual(0f, model.Tensor("batch_normalization_1.moving_mean")[0]);
        AssertPredicts(model, "cnn");
    }

    [Fact]
    public void Saving_a_cnn_in_pytorch_layout_writes_the_tensors_pytorch_wrote_but_the_batch_counters()
    {
        var model = new TorchCnn(seed: 1);
        model.LoadWeights(Fixture("cnn.safetensors"), WeightLayout.PyTorch);
        string path = _dir.File("netgen-cnn.safetensors");
        model.SaveWeights(path, WeightLayout.PyTorch);

        (Dictionary<string, (string Shape, byte[] Data)> ours, Dictionary<string, string> metadata) = ReadRaw(path);
        (Dictionary<string, (string Shape, byte[] Data)> theirs, _) = ReadRaw(Fixture("cnn.safetensors"));
        Assert.Equal(["2.num_batches_tracked", "7.num_batches_tracked"], theirs.Keys.Except(ours.Keys).Order());
        Assert.Empty(ours.Keys.Except(theirs.Keys));
        foreach ((string name, (string shape, byte[] data)) in ours)
        {
            Assert.True(shape == theirs[name].Shape, $"{name}: shape {shape}, PyTorch's {theirs[name].Shape}");
            Assert.True(data.AsSpan().SequenceEqual(theirs[name].Data), $"{name}: the bytes differ from PyTorch's");
        }

        Assert.Equal("TorchCnn", metadata["model"]);
        AssertCommitted(path, "netgen-cnn.safetensors");
    }

    [Fact]
    public void A_conv_kernel_is_saved_as_an_nn_conv2d_weight_and_the_dense_after_a_flatten_reads_pytorch_feature_order()
    {
        var model = new TorchCnn();
        for (int i = 0; i < model.Parameters.Length; i++)
        {
            model.Parameters[i] = i;
        }

        string path = _dir.File("cnn.safetensors");
        model.SaveWeights(path, WeightLayout.PyTorch);
        Dictionary<string, (string Shape, byte[] Data)> tensors = ReadRaw(path).Tensors;

        // Keras [3, 3, 3, 4] (kh, kw, cin, f) → PyTorch [4, 3, 3, 3] (f, cin, kh, kw).
        Assert.Equal("[4,3,3,3]", tensors["0.weight"].Shape);
        float[] conv = Floats(tensors["0.weight"].Data), keras = model.Tensor("conv2d.kernel").ToArray();
        for (int f = 0; f < 4; f++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < 3; y++)
                {
                    for (int x = 0; x < 3; x++)
                    {
                        Assert.Equal(keras[(((((y * 3) + x) * 3) + c) * 4) + f], conv[(((((f * 3) + c) * 3) + y) * 3) + x]);
                    }
                }
            }
        }

        // The flatten reads a 3×2×5 image: PyTorch's feature (c, y, x) is NetGen's (y, x, c), in the per-feature
        // BatchNorm1d's tensors and in the Linear's input columns alike.
        Assert.Equal("[3,30]", tensors["9.weight"].Shape);
        float[] linear = Floats(tensors["9.weight"].Data), kernel = model.Tensor("dense.kernel").ToArray();
        float[] runningMean = Floats(tensors["7.running_mean"].Data), movingMean = model.Tensor("batch_normalization_1.moving_mean").ToArray();
        for (int c = 0; c < 5; c++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int x = 0; x < 2; x++)
                {
                    int torchFeature = (((c * 3) + y) * 2) + x, netgenFeature = (((y * 2) + x) * 5) + c;
                    Assert.Equal(movingMean[netgenFeature], runningMean[torchFeature]);
                    for (int u = 0; u < 3; u++)
                    {
                        Assert.Equal(kernel[(netgenFeature * 3) + u], linear[(u * 30) + torchFeature]);
                    }
                }
            }
        }

        // The BatchNorm2d before the flatten is per channel: in order, under PyTorch's names.
        Assert.Equal(Floats(tensors["2.weight"].Data), model.Tensor("batch_normalization.gamma").ToArray());
        Assert.Equal(Floats(tensors["2.running_var"].Data), model.Tensor("batch_normalization.moving_variance").ToArray());
    }

    [Fact]
    public void Save_then_load_a_cnn_in_pytorch_layout_is_bit_exact()
    {
        var source = new TorchCnn(seed: 3);
        for (int i = 0; i < source.Parameters.Length; i++)
        {
            source.Parameters[i] += i * 1e-3f; // the statistics too, off their 0 and 1
        }

        string path = _dir.File("cnn.safetensors");
        source.SaveWeights(path, WeightLayout.PyTorch);
        var target = new TorchCnn(seed: 4);
        target.LoadWeights(path, WeightLayout.PyTorch);
        Assert.Equal(Bits(source), Bits(target));
    }

    [Fact]
    public void Cnn_names_are_nn_sequential_indices_with_batch_norm_as_pytorch_names_it()
    {
        // Conv2d 0 + ReLU 1, BatchNorm2d 2, MaxPool2d 3, Conv2d 4 + Tanh 5, Flatten 6, BatchNorm1d 7, Dropout 8, Linear 9 + Softmax 10.
        Assert.Equal(
            ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                "2.running_mean", "2.running_var", "7.running_mean", "7.running_var"],
            new TorchCnn().Info.TensorNames(WeightLayout.PyTorch));

        // torch_cnn.py's Sequential: Conv2d 0, ReLU 1, MaxPool2d 2, Conv2d 3, ReLU 4, MaxPool2d 5, Flatten 6, Dropout 7, Linear 8.
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "8.weight", "8.bias"], new TorchConvnet().Info.TensorNames(WeightLayout.PyTorch));

        // Conv2d 0 + ReLU 1, AdaptiveAvgPool2d(1) 2 and Flatten 3, Linear 4.
        Assert.Equal(["0.weight", "0.bias", "4.weight", "4.bias"], new TorchGlobalPooling().Info.TensorNames(WeightLayout.PyTorch));
    }

    [Fact]
    public void A_batch_counter_that_is_not_an_int64_scalar_is_refused_by_name()
    {
        byte[] file = File.ReadAllBytes(Fixture("cnn.safetensors"));
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        string header = Encoding.UTF8.GetString(file, 8, length);
        string changed = header.Replace("\"2.num_batches_tracked\":{\"dtype\":\"I64\"", "\"2.num_batches_tracked\":{\"dtype\":\"I32\"", StringComparison.Ordinal);
        Assert.NotEqual(header, changed);
        Encoding.UTF8.GetBytes(changed).CopyTo(file, 8);
        string path = _dir.File("counter.safetensors");
        File.WriteAllBytes(path, file);

        var model = new TorchCnn(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path, WeightLayout.PyTorch));
        Assert.Contains("2.num_batches_tracked has dtype I32, shape [] and data_offsets [0, 8] in the file, but a batch counter is an I64 scalar", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    [Fact]
    public void A_convnet_saved_in_pytorch_layout_loads_strictly_into_torch_cnn_py_s_model_and_predicts_the_same()
    {
        // PyTorch is not in CI (the committed-file tests above stand in there); where /usr/bin/python3 has it, the real thing.
        if (!TorchAvailable())
        {
            return;
        }

        var model = new TorchConvnet(seed: 7);
        var random = new Random(7);
        var images = new float[5 * TorchConvnet.InputSize];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = random.NextSingle();
        }

        var outputs = new float[5 * TorchConvnet.OutputSize];
        model.PredictBatch(images, outputs);
        string weights = _dir.File("convnet.safetensors"), predictions = _dir.File("predictions.json");
        model.SaveWeights(weights, WeightLayout.PyTorch);
        File.WriteAllText(predictions, JsonSerializer.Serialize(new
        {
            inputs = images.Chunk(TorchConvnet.InputSize),
            outputs = outputs.Chunk(TorchConvnet.OutputSize),
        }));
        (int exit, string text) = RunPython([Path.Combine(SourceFixtures(), "load_netgen.py"), weights, predictions]);
        Assert.True(exit == 0, "PyTorch refused NetGen's file or predicted otherwise:\n" + text);
        Assert.Contains("6 tensors loaded strictly into nn.Sequential (TorchConvnet)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pytorch_sequential_file_predicts_what_pytorch_predicted()
    {
        var model = new TorchSequential(seed: 1);
        model.LoadWeights(Fixture("sequential.safetensors"), WeightLayout.PyTorch);
        AssertPredicts(model, "sequential");
    }

    [Fact]
    public void A_pytorch_file_without_metadata_loads_with_a_name_map_and_predicts_what_pytorch_predicted()
    {
        // As plain safetensors.torch.save_file(model.state_dict(), path) writes it: no __metadata__, the module's names.
        Assert.Empty(NetworkWeights.ReadWeightsMetadata(Fixture("named.safetensors")));
        var model = new TorchNamed(seed: 1);
        model.LoadWeights(Fixture("named.safetensors"), WeightLayout.PyTorch, NamedModules);
        AssertPredicts(model, "named");
    }

    [Fact]
    public void Saving_in_pytorch_layout_writes_the_tensors_pytorch_wrote()
    {
        var model = new TorchSequential(seed: 1);
        model.LoadWeights(Fixture("sequential.safetensors"), WeightLayout.PyTorch);
        string path = _dir.File("netgen.safetensors");
        model.SaveWeights(path, WeightLayout.PyTorch);

        (Dictionary<string, (string Shape, byte[] Data)> ours, Dictionary<string, string> metadata) = ReadRaw(path);
        (Dictionary<string, (string Shape, byte[] Data)> theirs, _) = ReadRaw(Fixture("sequential.safetensors"));
        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        foreach ((string name, (string shape, byte[] data)) in theirs)
        {
            Assert.True(shape == ours[name].Shape, $"{name}: shape {ours[name].Shape}, PyTorch's {shape}");
            Assert.True(data.AsSpan().SequenceEqual(ours[name].Data), $"{name}: the bytes differ from PyTorch's");
        }

        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["layout"] = "pytorch", ["model"] = "TorchSequential" }, metadata);

        AssertCommitted(path, "netgen.safetensors");
    }

    /// <summary>
    /// The same file, byte for byte, is committed for load_netgen.py to load into PyTorch (README). When the writer
    /// changes on purpose, the new file is left beside it as a .received file to review and move over.
    /// </summary>
    private static void AssertCommitted(string path, string name)
    {
        string committed = Path.Combine(SourceFixtures(), name);
        byte[] written = File.ReadAllBytes(path);
        if (!File.Exists(committed) || !File.ReadAllBytes(committed).AsSpan().SequenceEqual(written))
        {
            string received = Path.ChangeExtension(name, ".received.safetensors");
            File.WriteAllBytes(Path.Combine(SourceFixtures(), received), written);
            Assert.Fail($"NetGen no longer writes {committed}; review {received} beside it, move it over and run load_netgen.py.");
        }
    }

    private static bool TorchAvailable() => File.Exists("/usr/bin/python3") && RunPython(["-c", "import torch"]).Exit == 0;

    private static (int Exit, string Output) RunPython(string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text + error.Result);
    }

    [Fact]
    public void Save_then_load_in_pytorch_layout_is_bit_exact_with_and_without_names()
    {
        var source = new TorchSequential(seed: 3);
        source.Adapt(new float[,] { { 1, 2, 3, 4, 5 }, { 2, 0, 3, 9, -5 }, { 0, 1, 1, 1, 7 } });
        string path = _dir.File("seq.safetensors");
        source.SaveWeights(path, WeightLayout.PyTorch, metadata: new Dictionary<string, string> { ["epoch"] = "4" });
        var target = new TorchSequential(seed: 4);
        Assert.NotEqual(Bits(source), Bits(target));
        target.LoadWeights(path, WeightLayout.PyTorch);
        Assert.Equal(Bits(source), Bits(target));
        Assert.Equal("4", NetworkWeights.ReadWeightsMetadata(path)["epoch"]);

        var named = new TorchNamed(seed: 5);
        string namedPath = _dir.File("named.safetensors");
        named.SaveWeights(namedPath, WeightLayout.PyTorch, NamedModules);
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight", "head.bias", "head.weight"], ReadRaw(namedPath).Tensors.Keys.Order());
        var copy = new TorchNamed(seed: 6);
        copy.LoadWeights(namedPath, WeightLayout.PyTorch, NamedModules);
        Assert.Equal(Bits(named), Bits(copy));
    }

    [Fact]
    public void A_kernel_is_saved_transposed_as_an_nn_linear_weight()
    {
        var model = new Xor221();
        for (int i = 0; i < 9; i++)
        {
            model.Parameters[i] = i + 1; // hidden.kernel [[1, 2], [3, 4]], hidden.bias [5, 6], output.kernel [[7], [8]], output.bias [9]
        }

        string path = _dir.File("xor.safetensors");
        model.SaveWeights(path, WeightLayout.PyTorch);
        Dictionary<string, (string Shape, byte[] Data)> tensors = ReadRaw(path).Tensors;
        Assert.Equal("[2,2]", tensors["0.weight"].Shape);
        Assert.Equal([1, 3, 2, 4], Floats(tensors["0.weight"].Data));
        Assert.Equal("[2]", tensors["0.bias"].Shape);
        Assert.Equal([5, 6], Floats(tensors["0.bias"].Data));
        Assert.Equal("[1,2]", tensors["2.weight"].Shape);
        Assert.Equal([7, 8], Floats(tensors["2.weight"].Data));
        Assert.Equal("[1]", tensors["2.bias"].Shape);
        Assert.Equal([9], Floats(tensors["2.bias"].Data));
    }

    [Fact]
    public void Default_names_are_the_nn_sequential_indices_with_activations_as_modules()
    {
        // Flatten 0, Linear 1 + ReLU 2, Dropout 3, Linear 4 + Softmax 5.
        Assert.Equal(["1.weight", "1.bias", "4.weight", "4.bias"], new Mlp().Info.TensorNames(WeightLayout.PyTorch));
        Assert.Equal(["hidden.kernel", "hidden.bias", "output.kernel", "output.bias"], new Mlp().Info.TensorNames(WeightLayout.Keras));

        // Normalization 0, Linear 1 + ReLU 2, Dropout 3, Linear 4 + LeakyReLU 5, Linear 6 (linear: no module after it), Linear 7.
        Assert.Equal(
            ["1.weight", "1.bias", "4.weight", "4.bias", "6.weight", "6.bias", "7.weight", "7.bias", "0.mean", "0.variance", "0.count"],
            new TorchSequential().Info.TensorNames(WeightLayout.PyTorch));
        Assert.Equal(
            ["fc1.weight", "fc1.bias", "2.weight", "2.bias", "head.weight", "head.bias"],
            new TorchNamed().Info.TensorNames(WeightLayout.PyTorch, new Dictionary<string, string> { ["hidden"] = "fc1", ["output"] = "head" }));
    }

    [Fact]
    public void A_file_whose_metadata_says_pytorch_does_not_load_as_keras_and_the_other_way_round()
    {
        string torchFile = Fixture("sequential.safetensors");
        var model = new TorchSequential(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(torchFile));
        Assert.Contains("it holds PyTorch's layout (WeightLayout.PyTorch: Linear weights as [out, in]) (its metadata says \"format\": \"pt\"), but Keras's layout", error.Message, StringComparison.Ordinal);
        Assert.Contains("load it with WeightLayout.PyTorch", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));

        string kerasFile = _dir.File("keras.safetensors");
        new TorchSequential(seed: 3).SaveWeights(kerasFile);
        error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(kerasFile, WeightLayout.PyTorch));
        Assert.Contains("it holds Keras's layout (WeightLayout.Keras: Dense kernels as [in, out]) (its metadata says \"format\": \"netgen\"), but PyTorch's layout", error.Message, StringComparison.Ordinal);
        Assert.Contains("load it with WeightLayout.Keras", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    [Fact]
    public void Square_kernels_with_the_right_names_still_do_not_load_in_the_layout_the_metadata_denies()
    {
        // Every tensor's name and shape fits Keras's layout (written under its names) but the metadata
        // says PyTorch's layout: loading it as Keras would transpose every kernel without a word.
        var square = new TorchNamed(seed: 1);
        string path = _dir.File("square.safetensors");
        float[] parameters = square.Parameters.ToArray();
        using (FileStream stream = File.Create(path))
        {
            NetGen.IO.SafeTensors.Write(stream, square.Info, parameters, [new("layout", "pytorch")]);
        }

        var model = new TorchNamed(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path, WeightLayout.Keras));
        Assert.Contains("(its metadata says \"layout\": \"pytorch\")", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));

        using (FileStream stream = File.Create(path))
        {
            NetGen.IO.SafeTensors.Write(stream, square.Info, parameters, [new("layout", "jax")]);
        }

        error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path, WeightLayout.Keras));
        Assert.Contains("\"layout\": \"jax\", a layout NetGen does not know", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    [Fact]
    public void A_file_without_metadata_is_judged_by_its_names()
    {
        // named.safetensors has no metadata: as Keras it fails on the names, not silently.
        var model = new TorchNamed(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(Fixture("named.safetensors")));
        Assert.Contains("the file holds tensors fc1.bias, fc1.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchNamed expects hidden.kernel, hidden.bias", error.Message, StringComparison.Ordinal);

        // As PyTorch without the name map it fails the same way, naming the Sequential names it looked for.
        error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(Fixture("named.safetensors"), WeightLayout.PyTorch));
        Assert.Contains("TorchNamed expects 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    [Fact]
    public void Bad_name_maps_are_refused_before_anything_is_written_or_loaded()
    {
        var model = new TorchSequential(seed: 1);
        string path = _dir.File("x.safetensors");
        (Dictionary<string, string> Map, string Message)[] cases =
        [
            (new() { ["dens"] = "fc1" }, "names layer 'dens', but TorchSequential has no layer of that name; its layers with weights are 'normalization', 'dense', 'dense_1', 'dense_2', 'dense_3'"),
            (new() { ["dropout"] = "drop" }, "names layer 'dropout', a Dropout layer, which has no weights to name"),
            (new() { ["dense"] = "" }, "gives layer 'dense' the module name ''"),
            (new() { ["dense"] = "net." }, "gives layer 'dense' the module name 'net.'"),
            (new() { ["dense"] = "fc", ["dense_1"] = "fc" }, "Two tensors would both be saved as 'fc.weight': dense.kernel and dense_1.kernel"),
            (new() { ["dense"] = "4" }, "Two tensors would both be saved as '4.weight': dense.kernel and dense_1.kernel"),
        ];
        foreach ((Dictionary<string, string> map, string message) in cases)
        {
            var save = Assert.Throws<ArgumentException>(() => model.SaveWeights(path, WeightLayout.PyTorch, map));
            Assert.Contains(message, save.Message, StringComparison.Ordinal);
            var load = Assert.Throws<ArgumentException>(() => model.LoadWeights(Fixture("sequential.safetensors"), WeightLayout.PyTorch, map));
            Assert.Contains(message, load.Message, StringComparison.Ordinal);
        }

        var keras = Assert.Throws<ArgumentException>(() => model.SaveWeights(path, WeightLayout.Keras, new Dictionary<string, string> { ["dense"] = "fc1" }));
        Assert.Contains("A name map applies to WeightLayout.PyTorch only", keras.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SaveWeights(path, (WeightLayout)7));
        var reserved = Assert.Throws<ArgumentException>(() => model.SaveWeights(path, WeightLayout.PyTorch, metadata: new Dictionary<string, string> { ["layout"] = "keras" }));
        Assert.Contains("\"layout\" is reserved", reserved.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.SaveWeights(path, new Dictionary<string, string> { ["layout"] = "pytorch" }));
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void Non_finite_weights_in_a_pytorch_file_are_refused_naming_the_files_tensor()
    {
        var source = new TorchSequential(seed: 1);
        source.DenseKernel[9] = float.NaN; // kernel [5, 8] element (1, 1) is weight [8, 5] element (1, 1): index 6
        string path = _dir.File("nan.safetensors");
        source.SaveWeights(path, WeightLayout.PyTorch);
        var model = new TorchSequential(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path, WeightLayout.PyTorch));
        Assert.Contains("holds NaN in tensor 1.weight, element 6", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    private static void AssertPredicts(Network model, string fixture)
    {
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        JsonElement set = expected.RootElement.GetProperty(fixture);
        float[][] inputs = Rows(set.GetProperty("inputs"));
        float[][] outputs = Rows(set.GetProperty("outputs"));
        Assert.Equal(fixture == "cnn" ? 6 : 16, inputs.Length);
        double worst = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            float[] predicted = model.Predict(inputs[i]);
            Assert.Equal(outputs[i].Length, predicted.Length);
            for (int j = 0; j < predicted.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(predicted[j] - outputs[i][j]));
            }
        }

        // float32 both sides, summed in other orders: a few ulps of outputs of order 1.
        Assert.True(worst <= 1e-5, $"NetGen's predictions differ from PyTorch's by up to {worst:G3}");
    }

    private static float[][] Rows(JsonElement rows) =>
        rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray();

    private static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>Fixtures/torch in the source tree, found from the test binary's folder.</summary>
    private static string SourceFixtures()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "NetGen.Tests", "Fixtures", "torch");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/NetGen.Tests/Fixtures/torch was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The tensors (shape as compact JSON, raw bytes) and metadata of a safetensors file, read independently of NetGen.</summary>
    private static (Dictionary<string, (string Shape, byte[] Data)> Tensors, Dictionary<string, string> Metadata) ReadRaw(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, length));
        var tensors = new Dictionary<string, (string, byte[])>();
        var metadata = new Dictionary<string, string>();
        foreach (JsonProperty p in header.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                foreach (JsonProperty m in p.Value.EnumerateObject())
                {
                    metadata[m.Name] = m.Value.GetString()!;
                }

                continue;
            }

            string dtype = p.Value.GetProperty("dtype").GetString()!;
            Assert.True(dtype == "F32" || (dtype == "I64" && p.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)), $"{p.Name} is {dtype}");
            int begin = p.Value.GetProperty("data_offsets")[0].GetInt32(), end = p.Value.GetProperty("data_offsets")[1].GetInt32();
            string shape = "[" + string.Join(",", p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())) + "]";
            tensors[p.Name] = (shape, file[(8 + length + begin)..(8 + length + end)]);
        }

        return (tensors, metadata);
    }

    private static float[] Floats(byte[] data) => MemoryMarshal.Cast<byte, float>(data).ToArray();

    private static byte[] Bits(Network model) => MemoryMarshal.AsBytes(model.Parameters).ToArray();
}
