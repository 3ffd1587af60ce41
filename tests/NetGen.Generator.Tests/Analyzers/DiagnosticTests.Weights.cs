using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests.Analyzers;

// ---- NG0304-NG0308: the weights file a model compiles in. The generator reports these (it alone reads the file), at
// the Weights argument; the model's members still compile, so the NG error is the build's only one.
public sealed partial class DiagnosticTests
{
    private const string WeightsModel = """
        [Sequential(2, Weights = {|ID:"w.safetensors"|})]
        [Dense(3, Activation.ReLU, Name = "hidden")]
        [Dense(1, Name = "out")]
        public partial class Net
        {
            public static Net Start() => FromEmbeddedWeights();
        }
        """;

    [Fact]
    public void NG0304_weights_file_not_in_the_project()
    {
        Diagnostic d = SingleWeights("NG0304");
        Assert.Equal("Weights file 'w.safetensors' of 'Net' cannot be found: it is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"w.safetensors\" /> to the project file (and import NetGen.targets if NetGen is not a package reference)", Message(d));
    }

    [Fact]
    public void NG0305_weights_file_not_safetensors()
    {
        byte[] notSafetensors = [.. BitConverter.GetBytes(5UL), .. "[1,2]"u8.ToArray()];
        Diagnostic d = SingleWeights("NG0305", WeightsText.For("w.safetensors", notSafetensors));
        Assert.Equal("Weights file 'w.safetensors' of 'Net' is not a valid safetensors file: the header does not start with '{', so it is not a safetensors JSON header", Message(d));

        d = SingleWeights("NG0305", WeightsText.For("w.safetensors", [1, 2, 3]));
        Assert.Equal("Weights file 'w.safetensors' of 'Net' is not a valid safetensors file: the file is 3 bytes long, too short for the 8-byte header length that starts a safetensors file", Message(d));
    }

    [Fact]
    public void NG0306_weights_tensor_of_another_shape()
    {
        byte[] file = Safetensors.Write(
        [
            ("hidden.kernel", [2, 4], Safetensors.Values(8, 0)),
            ("hidden.bias", [3], Safetensors.Values(3, 0)),
            ("out.kernel", [3, 1], Safetensors.Values(3, 0)),
            ("out.bias", [1], Safetensors.Values(1, 0)),
        ]);
        Diagnostic d = SingleWeights("NG0306", WeightsText.For("w.safetensors", file));
        Assert.Equal("Weights file 'w.safetensors' does not match 'Net': hidden.kernel has shape [2, 4] in the file but [2, 3] in Net", Message(d));
    }

    [Fact]
    public void NG0306_weights_tensor_missing_extra_or_of_another_dtype()
    {
        byte[] file = Safetensors.Write(
        [
            ("hidden.kernel", [2, 3], Safetensors.Values(6, 0)),
            ("hidden.bias", [3], Safetensors.Values(3, 0)),
            ("output.kernel", [3, 1], Safetensors.Values(3, 0)),
            ("out.bias", [1], Safetensors.Values(1, 0)),
        ]);
        Diagnostic d = SingleWeights("NG0306", WeightsText.For("w.safetensors", file));
        Assert.Equal("Weights file 'w.safetensors' does not match 'Net': the file holds tensors hidden.kernel, hidden.bias, output.kernel, out.bias; Net expects hidden.kernel, hidden.bias, out.kernel, out.bias. Missing: out.kernel. Unexpected: output.kernel", Message(d));

        file = Safetensors.Write(
        [
            ("hidden.kernel", [2, 3], Safetensors.Values(6, 0)),
            ("hidden.bias", [3], Safetensors.Values(3, 0)),
            ("out.kernel", [3, 1], Safetensors.Values(3, 0)),
            ("out.bias", [1], Safetensors.Values(1, 0)),
        ], dtype: "I32");
        d = SingleWeights("NG0306", WeightsText.For("w.safetensors", file));
        Assert.StartsWith("Weights file 'w.safetensors' does not match 'Net': hidden.kernel has dtype I32 in the file, but Net holds F32 (float32) parameters", Message(d), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pytorch", "its metadata says \"layout\": \"pytorch\", PyTorch's layout (Linear weights as [out, in]), but compiled-in weights are in Keras's layout (Dense kernels as [in, out]): save them with model.SaveWeights(path)")]
    [InlineData("jax", "its metadata says \"layout\": \"jax\", a layout NetGen does not know (it reads \"keras\" and \"pytorch\")")] // LoadWeights's words
    public void NG0307_weights_file_in_another_layout(string layout, string problem)
    {
        byte[] file = Safetensors.Write(
        [
            ("hidden.kernel", [2, 3], Safetensors.Values(6, 0)),
            ("hidden.bias", [3], Safetensors.Values(3, 0)),
            ("out.kernel", [3, 1], Safetensors.Values(3, 0)),
            ("out.bias", [1], Safetensors.Values(1, 0)),
        ], new Dictionary<string, string> { ["format"] = "pt", ["layout"] = layout });
        Diagnostic d = SingleWeights("NG0307", WeightsText.For("w.safetensors", file));
        Assert.StartsWith("Weights file 'w.safetensors' of 'Net' is in another layout: " + problem, Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0308_weights_not_finite()
    {
        float[] bias = [0, float.NaN, 0];
        byte[] file = Safetensors.Write(
        [
            ("hidden.kernel", [2, 3], Safetensors.Values(6, 0)),
            ("hidden.bias", [3], bias),
            ("out.kernel", [3, 1], Safetensors.Values(3, 0)),
            ("out.bias", [1], Safetensors.Values(1, 0)),
        ]);
        Diagnostic d = SingleWeights("NG0308", WeightsText.For("w.safetensors", file));
        Assert.Equal("Weights file 'w.safetensors' of 'Net' cannot be compiled in: it holds NaN in tensor hidden.bias, element 1: weights must be finite numbers", Message(d));
    }

    [Fact]
    public void NG0016_user_member_named_like_a_compiled_in_weights_member()
    {
        // Found at merge: a user's LoadEmbeddedWeights() gave CS0111 in the generated part instead of an NG error.
        HarnessResult result = EmbeddedWeightsTests.Run(["""
            using NetGen;

            [Sequential(2, Weights = "w.safetensors")]
            [Dense(1, Name = "out")]
            public partial class Net
            {
                public void LoadEmbeddedWeights() { }
            }
            """]);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Diagnostic d = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal("NG0016", d.Id);
        Assert.Equal("Model class 'Net' declares 'LoadEmbeddedWeights()', which NetGen generates for the model too: rename it, or for a method or constructor, change its parameters", Message(d));
        Assert.Empty(result.OutputErrors);
    }

    [Fact]
    public void NG0014_compiled_in_weights_need_csharp_11()
    {
        // The weights are emitted as UTF-8 string literals ("..."u8), which C# 10 does not have.
        CSharpParseOptions options = GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10);
        HarnessResult result = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(options),
            GeneratorHarness.CreateCompilation(options, """
                using NetGen;

                [Sequential(2, Weights = "w.safetensors")]
                [Dense(1, Name = "out")]
                public partial class Net
                {
                }
                """));
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Diagnostic d = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal("Model class 'Net' is compiled as C# 10.0, but NetGen's generated code needs C# 11.0 or later: raise <LangVersion> in the project, or remove it to use the SDK's default", Message(d));
        Assert.Empty(result.OutputErrors);
    }

    /// <summary>
    /// Runs <see cref="WeightsModel"/> with <paramref name="weights"/>: the generator reports exactly one diagnostic,
    /// <paramref name="id"/>, covering the Weights argument, nothing throws, and the output has no other error.
    /// </summary>
    private static Diagnostic SingleWeights(string id, params WeightsText[] weights)
    {
        (string source, var expected) = Markup.Parse("using NetGen;\n\n" + WeightsModel.Replace("{|ID:", "{|" + id + ":", StringComparison.Ordinal));
        HarnessResult result = EmbeddedWeightsTests.Run([source], weights);
        Assert.Null(result.GeneratorException);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(expected.Single().Span, d.Location.SourceSpan);
        Assert.Equal("Source0.cs", d.Location.GetLineSpan().Path);
        Assert.Empty(result.OutputErrors);
        Assert.Empty(result.AnalyzerDiagnostics);
        return d;
    }
}
