using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// The standalone activation layer, <c>[ActivationLayer(Activation.ReLU)]</c> (Keras's <c>layers.Activation</c>): the
/// code it emits, against golden files, and the diagnostics it shares with Dense's activation argument, on the
/// argument at fault. Its gradients are checked in NetGen.Tests (Gradients/ActivationLayerGradientTests.cs).
/// </summary>
public sealed class ActivationLayerTests
{
    private const string Model = """
        using NetGen;

        namespace Samples.Layers;

        [Sequential(inputShape: [6], Loss = Loss.SparseCategoricalCrossEntropy)]
        [Dense(8, Name = "hidden")]
        [ActivationLayer(Activation.ReLU)]
        [Dense(8)]
        [Dropout(0.25)]
        [ActivationLayer(Activation.LeakyReLU, Alpha = 0.1, Name = "squash")]
        [ActivationLayer(Activation.Linear)]
        [Dense(4)]
        [ActivationLayer(Activation.Softmax)]
        [Dense(3, Activation.Softmax, Name = "output")]
        public partial class ActivatedNet;
        """;

    [Fact]
    public void Emits_each_function_forward_and_backward()
    {
        HarnessResult result = GeneratorHarness.Run(Model);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Snapshot.Match(result.GeneratedSources, nameof(Emits_each_function_forward_and_backward));
    }

    [Fact]
    public void Softmax_runs_over_the_last_dimension_of_a_multi_dimensional_input()
    {
        HarnessResult result = GeneratorHarness.Run("""
            using NetGen;

            [Sequential(2, 3, 4)]
            [ActivationLayer(Activation.Softmax)]
            [Flatten]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        string forward = result.GeneratedSources.Single(f => f.HintName == "Net.Forward.g.cs").Text;
        Assert.Contains("// activation: Activation over (2, 3, 4), a = softmax(x, axis=-1)", forward, System.StringComparison.Ordinal);
        Assert.Contains("global::NetGen.Kernels.Activations.Softmax(x, activationOutput, 4);", forward, System.StringComparison.Ordinal);
        string network = result.GeneratedSources.Single(f => f.HintName == "Net.Network.g.cs").Text;
        Assert.Contains(" activation (Activation, softmax)  (None, 2, 3, 4)", network, System.StringComparison.Ordinal);
        Assert.Contains("new global::NetGen.LayerInfo(\"activation\", global::NetGen.LayerKind.Activation, 24, new int[] { 2, 3, 4 }, global::NetGen.Activation.Softmax,", network, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ActivationLayer({|NG0111:(Activation)9|})]", "NG0111", "Layer 'activation' has activation 9, which is not a NetGen.Activation value")]
    [InlineData("[ActivationLayer(Activation.LeakyReLU, {|NG0103:Alpha = -1|})]", "NG0103", "Layer 'activation' has LeakyReLU alpha -1: the negative slope must be >= 0")]
    [InlineData("[ActivationLayer(Activation.LeakyReLU, {|NG0112:Alpha = double.NaN|})]", "NG0112", null)]
    [InlineData("[ActivationLayer(Activation.ReLU, {|NG0108:Alpha = 0.3|})]", "NG0108", null)]
    public void Its_activation_is_checked_like_a_dense_layers(string layer, string id, string? message)
    {
        string source = "using NetGen;\n\n[Sequential(4)]\n[Dense(8)]\n" + layer + "\n[Dense(1)]\npublic partial class Net;\n";
        (string code, int start, int length) = Unmark(source, id);
        HarnessResult result = GeneratorHarness.Run(code);
        Assert.Null(result.GeneratorException);
        Diagnostic d = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(code.Substring(start, length), code.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        if (message is not null)
        {
            Assert.StartsWith(message, d.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        }
    }

    [Fact]
    public void It_cannot_end_a_model_whose_loss_needs_the_dense_output()
    {
        HarnessResult result = GeneratorHarness.Run("""
            using NetGen;

            [Sequential(4)]
            [Dense(3)]
            [ActivationLayer(Activation.Softmax)]
            public partial class Net;
            """);
        Diagnostic d = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal("NG0205", d.Id);
        Assert.Contains("'activation'", d.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Empty(result.OutputDiagnostics); // a stub, which compiles
    }

    /// <summary>Removes <c>{|id:…|}</c> markup, returning the source and the marked span.</summary>
    private static (string Code, int Start, int Length) Unmark(string markup, string id)
    {
        string open = "{|" + id + ":";
        int start = markup.IndexOf(open, System.StringComparison.Ordinal);
        string code = markup.Remove(start, open.Length);
        int end = code.IndexOf("|}", start, System.StringComparison.Ordinal);
        return (code.Remove(end, 2), start, end - start);
    }
}
