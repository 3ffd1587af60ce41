using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using NetGen.Tests.Models;

namespace NetGen.Tests.IO;

/// <summary>
/// SaveWeights/LoadWeights in the safetensors format: the exact bytes written, files written by other tools, and a
/// clear <see cref="InvalidDataException"/> for every kind of bad file, with the model's parameters left bit-identical.
/// </summary>
public sealed class SafeTensorsTests : IDisposable
{
    // Xor221: hidden.kernel [2, 2], hidden.bias [2], output.kernel [2, 1], output.bias [1]: 9 floats, 36 bytes.
    private static readonly (string Name, int[] Shape)[] XorTensors =
        [("hidden.kernel", [2, 2]), ("hidden.bias", [2]), ("output.kernel", [2, 1]), ("output.bias", [1])];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Save_then_load_is_bit_exact_including_special_values()
    {
        var source = new Mlp(seed: 3);
        // Values a text format or a careless conversion would mangle: -0, a subnormal, the largest float.
        source.Parameters[0] = -0f;
        source.Parameters[1] = float.Epsilon;
        source.Parameters[^1] = float.MaxValue;
        string path = _dir.File("mlp.safetensors");
        source.SaveWeights(path);

        var target = new Mlp(seed: 4);
        Assert.NotEqual(Bits(source), Bits(target));
        target.LoadWeights(path);
        Assert.Equal(Bits(source), Bits(target));
        Assert.Equal(["mlp.safetensors"], _dir.Entries());

        // A loaded model predicts exactly as the saved one.
        float[] input = Enumerable.Range(0, 784).Select(i => (float)Math.Sin(i)).ToArray();
        Assert.Equal(source.Predict(input), target.Predict(input));
    }

    [Fact]
    public void Non_finite_weights_are_saved_as_they_are_but_refused_on_load_leaving_the_model_unchanged()
    {
        // The file format keeps every bit (infinities, a NaN's payload); a model loaded with them would only predict NaN.
        var source = new Mlp(seed: 3);
        source.Parameters[2] = float.PositiveInfinity;
        source.Parameters[3] = float.NegativeInfinity;
        source.Parameters[4] = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        string path = _dir.File("diverged.safetensors");
        source.SaveWeights(path);
        Assert.Equal(Bits(source), MemoryMarshal.AsBytes(NetGen.IO.SafeTensors.ReadParameters(path, source.Info).AsSpan()).ToArray());

        var target = new Mlp(seed: 4);
        byte[] before = Bits(target);
        var error = Assert.Throws<InvalidDataException>(() => target.LoadWeights(path));
        Assert.Contains("holds Infinity in tensor", error.Message);
        Assert.Contains(source.Info.Tensors[0].Name + ", element 2", error.Message);
        Assert.Equal(before, Bits(target));
    }

    [Fact]
    public void The_file_has_the_exact_safetensors_layout()
    {
        var model = new Xor221();
        for (int i = 0; i < 9; i++)
        {
            model.Parameters[i] = i + 1; // kernel rows then bias, layer by layer, as in the parameter buffer
        }

        string path = _dir.File("xor.safetensors");
        model.SaveWeights(path, new Dictionary<string, string> { ["epoch"] = "3" });
        byte[] file = File.ReadAllBytes(path);

        const string Json =
            "{\"hidden.kernel\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"hidden.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]},"
            + "\"output.kernel\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[24,32]},\"output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[32,36]},"
            + "\"__metadata__\":{\"format\":\"netgen\",\"model\":\"Xor221\",\"epoch\":\"3\"}}";
        Assert.Equal(332, Json.Length);

        // 8-byte little-endian length 336 = the 332-byte JSON padded with 4 spaces to a multiple of 8.
        Assert.Equal(8 + 336 + 36, file.Length);
        Assert.Equal([0x50, 0x01, 0, 0, 0, 0, 0, 0], file[..8]);
        Assert.Equal(Json + "    ", Encoding.UTF8.GetString(file, 8, 336));

        // The data section starts at byte 344: nine little-endian float32s, 1.0f = 00 00 80 3F.
        Assert.Equal([0x00, 0x00, 0x80, 0x3F], file[344..348]);
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(i + 1f, BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(344 + (4 * i))));
        }

        Assert.Equal(new Dictionary<string, string> { ["format"] = "netgen", ["model"] = "Xor221", ["epoch"] = "3" }, NetworkWeights.ReadWeightsMetadata(path));
    }

    [Fact]
    public void Without_extra_metadata_the_header_needs_no_padding_for_xor()
    {
        string path = _dir.File("xor.safetensors");
        new Xor221().SaveWeights(path);
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(320UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.EndsWith("""},"__metadata__":{"format":"netgen","model":"Xor221"}}""", Encoding.UTF8.GetString(file, 8, 320), StringComparison.Ordinal);
        Assert.Equal(8 + 320 + 36, file.Length);
    }

    [Fact]
    public void Reserved_metadata_keys_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Xor221().SaveWeights(_dir.File("x.safetensors"), new Dictionary<string, string> { ["model"] = "Other" }));
        Assert.Contains("\"model\" is reserved", error.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void Saving_over_an_existing_file_replaces_it_whole()
    {
        string path = _dir.File("w.safetensors");
        File.WriteAllBytes(path, new byte[100_000]);
        var model = new Xor221(seed: 2);
        model.SaveWeights(path);
        Assert.Equal(8 + 320 + 36, new FileInfo(path).Length);
        var copy = new Xor221(seed: 5);
        copy.LoadWeights(path);
        Assert.Equal(Bits(model), Bits(copy));
        Assert.Equal(["w.safetensors"], _dir.Entries());
    }

    [Fact]
    public void Files_from_other_writers_load_in_any_key_order_with_any_padding_and_without_metadata()
    {
        // Pretty-printed, __metadata__ absent, keys in another order, data in reverse order, no padding (27 + … bytes).
        float[] expected = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var data = new List<byte>();
        data.AddRange(Floats(9));          // output.bias        [0, 4)
        data.AddRange(Floats(7, 8));       // output.kernel      [4, 12)
        data.AddRange(Floats(5, 6));       // hidden.bias        [12, 20)
        data.AddRange(Floats(1, 2, 3, 4)); // hidden.kernel      [20, 36)
        string json = """
            {
              "output.kernel": { "shape": [2, 1], "data_offsets": [4, 12], "dtype": "F32" },
              "hidden.kernel": { "dtype": "F32", "data_offsets": [20, 36], "shape": [2, 2] },
              "output.bias":   { "dtype": "F32", "shape": [1], "data_offsets": [0, 4] },
              "hidden.bias":   { "dtype": "F32", "shape": [2], "data_offsets": [12, 20] }
            }
            """;
        string path = Write("pretty.safetensors", json, data.ToArray());
        var model = new Xor221(seed: 1);
        model.LoadWeights(path);
        Assert.Equal(expected, model.Parameters.ToArray());
        Assert.Empty(NetworkWeights.ReadWeightsMetadata(path));

        // __metadata__ first (the reference writer's habit), other keys in it, another model name, padded with spaces.
        string first = """{"__metadata__":{"format":"netgen","model":"SomethingElse"},"""
            + string.Join(",", XorTensors.Select((t, i) => Entry(t.Name, "F32", t.Shape, Offsets(i))))
            + "}" + new string(' ', 13);
        path = Write("first.safetensors", first, Floats(expected));
        model = new Xor221(seed: 1);
        model.LoadWeights(path);
        Assert.Equal(expected, model.Parameters.ToArray());
    }

    [Fact]
    public void Weights_of_another_model_are_rejected_naming_both_sets_of_tensors()
    {
        string path = _dir.File("sparse.safetensors");
        new SparseClassifier(seed: 1).SaveWeights(path);
        var model = new Mlp(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "the file holds tensors dense.kernel, dense.bias, dense_1.kernel, dense_1.bias, dense_2.kernel, dense_2.bias; "
            + "Mlp expects hidden.kernel, hidden.bias, output.kernel, output.bias",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("Missing: hidden.kernel, hidden.bias, output.kernel, output.bias", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected: dense.kernel", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    [Fact]
    public void Same_names_with_other_shapes_are_rejected_naming_both_shapes()
    {
        // Xor241Tanh has the same layer names as Xor221, with a hidden layer of 4 units instead of 2.
        string path = _dir.File("xor241.safetensors");
        new Xor241Tanh(seed: 1).SaveWeights(path);
        var model = new Xor221(seed: 2);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
        Assert.Contains("hidden.kernel has shape [2, 4] in the file but [2, 2] in Xor221", error.Message, StringComparison.Ordinal);
        Assert.Contains("hidden.bias has shape [4] in the file but [2] in Xor221", error.Message, StringComparison.Ordinal);
        Assert.Contains("output.kernel has shape [4, 1] in the file but [2, 1] in Xor221", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("output.bias", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_damaged_or_mismatched_file_is_rejected_with_what_is_wrong_and_the_model_unchanged(string description, byte[] file, string expected)
    {
        _ = description;
        string path = _dir.File("bad.safetensors");
        File.WriteAllBytes(path, file);
        var model = new Xor221(seed: 7);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
        Assert.StartsWith($"Cannot load weights from '{path}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(model));
    }

    public static TheoryData<string, byte[], string> Corruptions()
    {
        byte[] good = GoodXorFile();
        byte[] data = Floats(1, 2, 3, 4, 5, 6, 7, 8, 9);
        var cases = new TheoryData<string, byte[], string>
        {
            { "empty file", [], "the file is 0 bytes long, too short for the 8-byte header length" },
            { "truncated in the header", good[..100], "the header length is 320 bytes but only 92 bytes follow it: the file is truncated" },
            { "truncated in the data", good[..^4], "output.bias has data_offsets [32, 36] but the data section holds only 32 bytes: the file is truncated" },
            { "header length absurd", WithLength(good, 1UL << 40), "the header length is 1099511627776 bytes, more than the format's limit of 100000000" },
            { "header length past the end", WithLength(good, 400), "the header length is 400 bytes but only 356 bytes follow it" },
            { "header length too short", WithLength(good, 1), "the header length is 1 bytes, too short for a JSON object" },
            { "header length cuts the JSON", WithLength(good, 300), "the header is not valid JSON" },
            { "not JSON", Build("{\"hidden.kernel\": nope}", data), "the header is not valid JSON" },
            { "not an object", Build("[1, 2, 3]", data), "the header does not start with '{'" },
            { "trailing comma", Build("{\"__metadata__\": {},}", data), "the header is not valid JSON (expected a property name at character 20)" },
            { "unpaired surrogate escape", Build("{\"hidden.kernel\\ud800\": 5}", data), "the header is not valid JSON (an unpaired surrogate escape in a string at character 21)" },
            { "invalid UTF-8", Build("{\"hidden.kernel\xff\": {}}", data, latin1: true), "the header is not valid UTF-8" },
            { "duplicate key", Build(Header(XorTensors.Select((t, i) => (t.Name, "F32", t.Shape, Offsets(i))).Append(("hidden.bias", "F32", [2], "[16, 24]")).ToArray()), data), "the header names \"hidden.bias\" twice" },
            { "entry not an object", Build("{\"hidden.kernel\": 5}", data), "tensor hidden.kernel is described by a JSON number" },
            { "no dtype", Build("{\"hidden.kernel\": {\"shape\": [2, 2], \"data_offsets\": [0, 16]}}", data), "tensor hidden.kernel has no dtype" },
            { "unknown field", Build("{\"hidden.kernel\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16], \"strides\": [2, 1]}}", data), "tensor hidden.kernel has an unknown field \"strides\"" },
            { "negative dimension", Build("{\"hidden.kernel\": {\"dtype\": \"F32\", \"shape\": [-2, 2], \"data_offsets\": [0, 16]}}", data), "tensor hidden.kernel has shape -2, which is not a non-negative integer" },
            { "fractional offset", Build("{\"hidden.kernel\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16.5]}}", data), "has data_offsets 16.5, which is not a non-negative integer" },
            { "offset past long.MaxValue", Build("{\"hidden.kernel\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 9223372036854775808]}}", data), "has data_offsets 9223372036854775808, which is not a non-negative integer" },
            { "offset with an exponent", Build("{\"hidden.kernel\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16e0]}}", data), "has data_offsets 16e0, which is not a non-negative integer" },
            { "three offsets", Build("{\"hidden.kernel\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 8, 16]}}", data), "tensor hidden.kernel has 3 data_offsets; it needs exactly two" },
            { "metadata not strings", Build("{\"__metadata__\": {\"epoch\": 3}}", data), "__metadata__.epoch is a JSON number, but metadata values must be strings" },
            { "F16 dtype", Xor(("output.bias", "F16", [1], "[32, 34]")), "output.bias has dtype F16 in the file, but Xor221 holds F32 (float32) parameters" },
            { "wrong rank", Xor(("hidden.kernel", "F32", [4], "[0, 16]")), "hidden.kernel has shape [4] in the file but [2, 2] in Xor221" },
            { "extra tensor", Build(Header(XorTensors.Select((t, i) => (t.Name, "F32", t.Shape, Offsets(i))).Append(("extra.bias", "F32", [1], "[36, 40]")).ToArray()), Floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)), "Xor221 expects hidden.kernel, hidden.bias, output.kernel, output.bias. Unexpected: extra.bias" },
            { "missing tensor", Build(Header(XorTensors.Take(3).Select((t, i) => (t.Name, "F32", t.Shape, Offsets(i))).ToArray()), data[..32]), "the file holds tensors hidden.kernel, hidden.bias, output.kernel; Xor221 expects hidden.kernel, hidden.bias, output.kernel, output.bias. Missing: output.bias" },
            { "offsets too short for the shape", Xor(("hidden.bias", "F32", [2], "[16, 20]")), "hidden.bias has data_offsets [16, 20] spanning 4 bytes, but F32 shape [2] takes 8" },
            { "offsets backwards", Xor(("hidden.bias", "F32", [2], "[24, 16]")), "hidden.bias has data_offsets [24, 16], which run backwards" },
            { "offsets out of range", Xor(("output.bias", "F32", [1], "[36, 40]")), "output.bias has data_offsets [36, 40] but the data section holds only 36 bytes" },
            { "offsets overlap", Xor(("hidden.bias", "F32", [2], "[8, 16]")), "hidden.kernel (data_offsets [0, 16]) and hidden.bias (data_offsets [8, 16]) overlap" },
            { "gap between tensors", Build(Header(("hidden.kernel", "F32", [2, 2], "[0, 16]"), ("hidden.bias", "F32", [2], "[20, 28]"), ("output.kernel", "F32", [2, 1], "[28, 36]"), ("output.bias", "F32", [1], "[36, 40]")), Floats(1, 2, 3, 4, 0, 5, 6, 7, 8, 9)), "4 bytes between hidden.kernel and hidden.bias belong to no tensor" },
            { "bytes after the last tensor", Build(Header(XorTensors.Select((t, i) => (t.Name, "F32", t.Shape, Offsets(i))).ToArray()), Floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)), "the data section holds 40 bytes but the tensors end at byte 36: 4 bytes after them belong to no tensor" },
        };
        return cases;
    }

    [Fact]
    public void Several_problems_are_reported_together()
    {
        byte[] file = Build(Header(("hidden.kernel", "F16", [2, 2], "[0, 8]"), ("hidden.bias", "F32", [3], "[8, 20]"), ("output.kernel", "F32", [2, 1], "[20, 28]"), ("output.bias", "F32", [1], "[28, 32]")), new byte[32]);
        string path = _dir.File("multi.safetensors");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<InvalidDataException>(() => new Xor221().LoadWeights(path));
        Assert.Contains("hidden.kernel has dtype F16 in the file, but Xor221 holds F32 (float32) parameters; hidden.bias has shape [3] in the file but [2] in Xor221", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_names_and_metadata_are_read_as_the_strings_they_spell()
    {
        // \u0068 is 'h'; \ud83d\ude00 is one character outside the BMP, written as the surrogate pair JSON requires.
        string header = Header(XorTensors.Select((t, i) => (t.Name.Replace("hidden", "\\u0068idden", StringComparison.Ordinal), "F32", t.Shape, Offsets(i))).ToArray());
        header = header.Insert(1, "\"__metadata__\": {\"note\": \"\\ud83d\\ude00 \\\"quoted\\\"\"}, ");
        string path = _dir.File("escaped.safetensors");
        File.WriteAllBytes(path, Build(header, Floats(1, 2, 3, 4, 5, 6, 7, 8, 9)));
        var model = new Xor221();
        model.LoadWeights(path);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], model.Parameters.ToArray());
        Assert.Equal("\U0001F600 \"quoted\"", NetworkWeights.ReadWeightsMetadata(path)["note"]);
    }

    [Fact]
    public void A_file_in_a_layout_NetGen_does_not_know_is_refused_before_its_tensors_are_read()
    {
        string header = Header(XorTensors.Select((t, i) => (t.Name, "F32", t.Shape, Offsets(i))).ToArray()).Insert(1, "\"__metadata__\": {\"format\": \"pt\", \"layout\": \"jax\"}, ");
        string path = _dir.File("jax.safetensors");
        File.WriteAllBytes(path, Build(header, Floats(1, 2, 3, 4, 5, 6, 7, 8, 9)));
        var model = new Xor221(seed: 7);
        byte[] before = Bits(model);
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
        Assert.Equal($"Cannot load weights from '{path}': its metadata says \"layout\": \"jax\", a layout NetGen does not know (it reads \"keras\" and \"pytorch\"). The model is unchanged.", error.Message);
        Assert.Equal(before, Bits(model));
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => new Xor221().LoadWeights(_dir.File("nope.safetensors")));
    }

    private static byte[] Bits(Network model) => MemoryMarshal.AsBytes(model.Parameters).ToArray();

    private static string Offsets(int tensor) => tensor switch
    {
        0 => "[0, 16]",
        1 => "[16, 24]",
        2 => "[24, 32]",
        _ => "[32, 36]",
    };

    private static string Entry(string name, string dtype, int[] shape, string offsets) =>
        $"\"{name}\": {{\"dtype\": \"{dtype}\", \"shape\": [{string.Join(", ", shape)}], \"data_offsets\": {offsets}}}";

    private static string Header(params (string Name, string DType, int[] Shape, string Offsets)[] tensors) =>
        "{" + string.Join(", ", tensors.Select(t => Entry(t.Name, t.DType, t.Shape, t.Offsets))) + "}";

    /// <summary>A correct Xor221 file with one tensor's entry replaced.</summary>
    private static byte[] Xor((string Name, string DType, int[] Shape, string Offsets) replacement) =>
        Build(Header(XorTensors.Select((t, i) => t.Name == replacement.Name ? replacement : (t.Name, "F32", t.Shape, Offsets(i))).ToArray()), Floats(1, 2, 3, 4, 5, 6, 7, 8, 9));

    /// <summary>What SaveWeights writes for Xor221 holding 1…9: a 320-byte header, 364 bytes in all.</summary>
    private static byte[] GoodXorFile()
    {
        var model = new Xor221();
        for (int i = 0; i < 9; i++)
        {
            model.Parameters[i] = i + 1;
        }

        using var stream = new MemoryStream();
        NetGen.IO.SafeTensors.Write(stream, model.Info, model.Parameters, [new("format", "netgen"), new("model", "Xor221")]);
        return stream.ToArray();
    }

    /// <summary>A safetensors file by hand: length, header bytes (unpadded), data.</summary>
    private static byte[] Build(string header, byte[] data, bool latin1 = false)
    {
        byte[] json = latin1 ? Encoding.Latin1.GetBytes(header) : Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    private static byte[] WithLength(byte[] file, ulong length)
    {
        byte[] copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
        return copy;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return bytes;
    }

    private string Write(string name, string header, byte[] data)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, Build(header, data));
        return path;
    }
}
