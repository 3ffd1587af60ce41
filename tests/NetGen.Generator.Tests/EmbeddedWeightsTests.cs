using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Helpers;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// Compiled-in weights (<c>[Sequential(..., Weights = "…")]</c>): the generated factory starts the model from the file's
/// values, in buffer order whatever order the file holds them in; the NG0304-NG0308 errors on a file that does not fit
/// (in <see cref="Analyzers.DiagnosticTests"/>); and the pipeline's caching with weights files in it.
/// </summary>
public sealed class EmbeddedWeightsTests
{
    internal const string TwoLayer = """
        using NetGen;

        namespace Demo;

        [Sequential(2, Loss = Loss.BinaryCrossEntropy, Weights = "w.safetensors")]
        [Dense(3, Activation.ReLU, Name = "hidden")]
        [Dense(1, Activation.Sigmoid, Name = "out")]
        public partial class Net;
        """;

    /// <summary>The four tensors of <see cref="TwoLayer"/>, written out of buffer order (biases first), each with distinct values.</summary>
    internal static byte[] TwoLayerFile() => Safetensors.Write(
    [
        ("out.bias", [1], Safetensors.Values(1, 300)),
        ("hidden.bias", [3], Safetensors.Values(3, 100)),
        ("out.kernel", [3, 1], Safetensors.Values(3, 200)),
        ("hidden.kernel", [2, 3], Safetensors.Values(6, 0)),
    ]);

    [Fact]
    public void The_factory_starts_the_model_from_the_files_values_in_buffer_order()
    {
        HarnessResult result = Run([TwoLayer], WeightsText.For("w.safetensors", TwoLayerFile()));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);
        Assert.Contains(result.GeneratedSources, f => f.HintName == "Demo.Net.Weights.g.cs");

        float[] parameters = LoadAndRun(result.Output, "Demo.Net", "FromEmbeddedWeights");

        // hidden.kernel, hidden.bias, out.kernel, out.bias: the generated NetworkInfo's order.
        float[] expected = [.. Safetensors.Values(6, 0), .. Safetensors.Values(3, 100), .. Safetensors.Values(3, 200), .. Safetensors.Values(1, 300)];
        Assert.Equal(expected, parameters);
    }

    [Fact]
    public void Snapshot_of_the_weights_file()
    {
        HarnessResult result = Run([TwoLayer], WeightsText.For("w.safetensors", TwoLayerFile()));
        Assert.Empty(result.OutputDiagnostics);
        Snapshot.Match(result.GeneratedSources.Where(f => f.HintName.EndsWith(".Weights.g.cs", StringComparison.Ordinal)), "Valid");
    }

    [Fact]
    public void Snapshot_of_a_refused_weights_file()
    {
        HarnessResult result = Run([TwoLayer]);
        Assert.Equal("NG0304", Assert.Single(result.GeneratorDiagnostics).Id);
        Assert.Empty(result.OutputDiagnostics);
        Snapshot.Match(result.GeneratedSources.Where(f => f.HintName.EndsWith(".Weights.g.cs", StringComparison.Ordinal)), "Refused");
    }

    [Fact]
    public void A_file_bigger_than_one_chunk_is_split_and_decoded_whole()
    {
        // 100 × 200 kernel = 80 000 bytes: two chunks of base64.
        const string source = """
            using NetGen;

            [Sequential(100, Weights = "dir/big.safetensors")]
            [Dense(200, Name = "d")]
            public partial class Big;
            """;
        byte[] file = Safetensors.Write([("d.kernel", [100, 200], Safetensors.Values(20_000, -10_000)), ("d.bias", [200], Safetensors.Values(200, 7))]);
        HarnessResult result = Run([source], WeightsText.For("dir/big.safetensors", file));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);
        string generated = result.GeneratedSources.Single(f => f.HintName == "Big.Weights.g.cs").Text;
        Assert.Contains("1 => \"", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("2 => \"", generated, StringComparison.Ordinal);

        Assert.Equal([.. Safetensors.Values(20_000, -10_000), .. Safetensors.Values(200, 7)], LoadAndRun(result.Output, "Big", "FromEmbeddedWeights"));
    }

    [Fact]
    public void Compiled_in_normalization_statistics_count_as_adapted_as_loaded_ones_do()
    {
        // A count of 0, as a file from another tool may hold: LoadWeights takes its statistics as adapted, and so does this.
        const string source = """
            using NetGen;

            [Sequential(2, Weights = "n.safetensors")]
            [Normalization(Name = "norm")]
            [Dense(1, Name = "d")]
            public partial class Normalized;
            """;
        byte[] file = Safetensors.Write(
        [
            ("d.kernel", [2, 1], [0.5f, -0.5f]),
            ("d.bias", [1], [0.25f]),
            ("norm.mean", [2], [1f, 2f]),
            ("norm.variance", [2], [4f, 9f]),
            ("norm.count", [1], [0f]),
        ]);
        HarnessResult result = Run([source], WeightsText.For("n.safetensors", file));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);

        bool adapted = false;
        float[] parameters = LoadAndRun(result.Output, "Normalized", "FromEmbeddedWeights", model => adapted = model.IsAdapted);
        Assert.True(adapted);
        Assert.Equal([0.5f, -0.5f, 0.25f, 1f, 2f, 4f, 9f, 0f], parameters);
    }

    [Fact]
    public void An_edit_elsewhere_leaves_every_weights_step_cached()
    {
        GeneratorDriver driver = Driver(WeightsText.For("w.safetensors", TwoLayerFile()));
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TwoLayer);
        driver = driver.RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions, path: "Unrelated.cs")));

        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.WeightsRequests));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.WeightsFiles));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.EmbeddedWeights));
    }

    [Fact]
    public void An_edit_of_one_weights_file_regenerates_only_the_model_that_names_it()
    {
        string second = TwoLayer.Replace("class Net", "class Other", StringComparison.Ordinal).Replace("w.safetensors", "other.safetensors", StringComparison.Ordinal);
        WeightsText mine = WeightsText.For("w.safetensors", TwoLayerFile());
        GeneratorDriver driver = Driver(mine, WeightsText.For("other.safetensors", TwoLayerFile()));
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TwoLayer, second);
        driver = driver.RunGenerators(compilation);
        string otherBefore = Source(driver, "Demo.Other.Weights.g.cs");

        byte[] edited = Safetensors.Write(
        [
            ("hidden.kernel", [2, 3], Safetensors.Values(6, 1000)),
            ("hidden.bias", [3], Safetensors.Values(3, 100)),
            ("out.kernel", [3, 1], Safetensors.Values(3, 200)),
            ("out.bias", [1], Safetensors.Values(1, 300)),
        ]);
        driver = driver.ReplaceAdditionalText(mine, WeightsText.For("w.safetensors", edited)).RunGenerators(compilation);

        Assert.Equal([IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.WeightsRequests));
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.WeightsFiles));
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.EmbeddedWeights));
        Assert.Equal(otherBefore, Source(driver, "Demo.Other.Weights.g.cs"));
        Assert.Contains(Convert.ToBase64String(BitConverter.GetBytes(1000.5f)).Substring(0, 4), Source(driver, "Demo.Net.Weights.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>Runs the generator with <paramref name="weights"/> among the additional files, then compiles.</summary>
    internal static HarnessResult Run(string[] sources, params WeightsText[] weights) =>
        GeneratorHarness.Run(Driver(weights), GeneratorHarness.CreateCompilation(sources));

    private static GeneratorDriver Driver(params WeightsText[] weights) =>
        GeneratorHarness.CreateDriver().AddAdditionalTexts(Safetensors.Texts(weights));

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        [.. driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    private static string Source(GeneratorDriver driver, string hint) =>
        driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

    /// <summary>Emits <paramref name="compilation"/>, calls the static <paramref name="factory"/> of <paramref name="type"/> and returns the model's parameters.</summary>
    private static float[] LoadAndRun(Compilation compilation, string type, string factory, Action<Network>? inspect = null)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var context = new AssemblyLoadContext("embedded-weights", isCollectible: true);
        try
        {
            image.Position = 0;
            Assembly assembly = context.LoadFromStream(image);
            MethodInfo create = assembly.GetType(type, throwOnError: true)!.GetMethod(factory, BindingFlags.Public | BindingFlags.Static)!;
            var model = (Network)create.Invoke(null, [null])!;
            inspect?.Invoke(model);
            return model.Parameters.ToArray();
        }
        finally
        {
            context.Unload();
        }
    }
}
