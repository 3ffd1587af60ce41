using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests.Analyzers;

/// <summary>The mistakes of a user's first hour (issue 17) that used to build: each now an NG error on its culprit.</summary>
public sealed partial class DiagnosticTests
{
    // ---- NG0017: layers on two partial declarations ----

    [Fact]
    public void NG0017_layers_on_a_second_partial_declaration()
    {
        Diagnostic d = Single("""
            [Sequential(4, Loss = Loss.BinaryCrossEntropy)]
            [Dense(8, Activation.ReLU, Name = "hidden")]
            public partial class Net;

            [{|NG0017:Dense(1, Activation.Sigmoid, Name = "output")|}]
            public partial class Net;
            """);
        Assert.Equal(
            "Layer 'output' is declared on another partial declaration of 'Net' than its first layers: the layer order across declarations is undefined (it follows the order the compiler reads the files), so put every layer attribute on the declaration with [Sequential]",
            Message(d));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NG0017_falls_on_the_part_without_Sequential_whichever_file_the_compiler_reads_first(bool swapped)
    {
        // Found by a user: swapping the two files turned a 4→8→3→1 network into 4→3→1→8, silently.
        string main = "using NetGen;\n\n[Sequential(4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(8, Activation.ReLU)]\npublic partial class Net;\n";
        string more = "using NetGen;\n\n[Dense(3, Activation.ReLU)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net;\n";
        HarnessResult result = swapped ? GeneratorHarness.Run(more, main) : GeneratorHarness.Run(main, more);

        Assert.Empty(result.OutputErrors);
        Assert.Equal(2, result.AnalyzerDiagnostics.Length);
        Assert.All(result.AnalyzerDiagnostics, d =>
        {
            Assert.Equal("NG0017", d.Id);
            Assert.Contains("Dense(", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), StringComparison.Ordinal);
            Assert.Equal(swapped ? "Source0.cs" : "Source1.cs", d.Location.SourceTree.FilePath);
        });
        Assert.Equal(["Net.Network.g.cs"], result.GeneratedSources.Select(f => f.HintName));
    }

    [Fact]
    public void NG0017_is_not_reported_when_one_declaration_holds_every_layer()
    {
        // [Sequential] on one declaration, every layer on another: one list, in one order.
        HarnessResult result = GeneratorHarness.Run(
            "using NetGen;\n\n[Sequential(4)]\npublic partial class Net;\n",
            "using NetGen;\n\n[Dense(8, Activation.ReLU)]\n[Dense(1)]\npublic partial class Net;\n");
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    // ---- NG0018: a constructor that does not call the generated one ----

    [Theory]
    [InlineData("public {|NG0018:Net|}(int width) { _ = width; }", "Net(int)")]
    [InlineData("public {|NG0018:Net|}() { }", "Net()")]
    [InlineData("internal {|NG0018:Net|}(string name, int width)\n        : base()\n    {\n        _ = name + width;\n    }", "Net(string, int)")]
    public void NG0018_user_constructor_not_chained_to_the_generated_one(string constructor, string shown)
    {
        // Used to be CS7036 about NetGen.Network's constructor: the diagnostic says what to write instead, and no C#
        // error comes with it (Verify checks the compilation is clean).
        Diagnostic d = Single("[Sequential(2)]\n[Dense(1)]\npublic partial class Net\n{\n    " + constructor + "\n}");
        Assert.Equal(
            "Constructor '" + shown + "' of model 'Net' does not call the generated constructor Net(long? seed = null), which sets up the layers and draws the initial weights: add ': this(seed)' after its parameter list (': this(seed: null)' for random weights) and keep the rest in its body",
            Message(d));
    }

    [Theory]
    [InlineData("public Net(int width)\n        : this(seed: width)\n    {\n    }")]
    [InlineData("public Net()\n        : this(42)\n    {\n    }")]
    [InlineData("static Net()\n    {\n    }")]
    public void NG0018_is_not_reported_for_a_chained_or_static_constructor(string constructor)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net\n{\n    " + constructor + "\n}\n");
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    // ---- NG0112: a non-finite alpha ----

    [Theory]
    [InlineData("double.PositiveInfinity")]
    [InlineData("double.NegativeInfinity")]
    [InlineData("double.NaN")]
    [InlineData("1e39")]
    [InlineData("-1e39")]
    public void NG0112_non_finite_alpha(string alpha)
    {
        // +∞ was accepted while NaN was refused (as NG0103, "must be >= 0"); 1e39 is +∞ as the float that runs.
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Activation.LeakyReLU, {|NG0112:Alpha =
            """ + " " + alpha + """
            |})]
            [Dense(1)]
            public partial class Net;
            """);
        string shown = alpha switch
        {
            "double.PositiveInfinity" => double.PositiveInfinity.ToString("R", CultureInfo.InvariantCulture),
            "double.NegativeInfinity" => double.NegativeInfinity.ToString("R", CultureInfo.InvariantCulture),
            "double.NaN" => "NaN",
            "1e39" => "1E+39 (infinity as a float)",
            _ => "-1E+39 (infinity as a float)",
        };
        Assert.Equal("Layer 'dense' has LeakyReLU alpha " + shown + ": the negative slope must be a finite number, such as the default 0.2", Message(d));
    }

    [Fact]
    public void NG0112_only_applies_to_LeakyReLU_where_alpha_is_used()
    {
        // Elsewhere Alpha is ignored, whatever its value: NG0108 says so.
        Single("[Sequential(4)]\n[Dense(8, Activation.ReLU, {|NG0108:Alpha = double.PositiveInfinity|})]\n[Dense(1)]\npublic partial class Net;", DiagnosticSeverity.Warning);
    }

    [Theory]
    [InlineData("double.PositiveInfinity")]
    [InlineData("double.NegativeInfinity")]
    public void NG0102_already_refuses_an_infinite_dropout_rate(string rate)
    {
        // The other double argument checked for the alpha's hole: an infinite rate is outside [0, 1).
        Diagnostic d = Single("[Sequential(4)]\n[Dropout({|NG0102:" + rate + "|})]\n[Dense(1)]\npublic partial class Net;");
        Assert.StartsWith("Layer 'dropout' has dropout rate ", Message(d), StringComparison.Ordinal);
    }

    // ---- NG0208 / NG0209: cross-entropy over an output without its activation ----

    [Theory]
    [InlineData("SparseCategoricalCrossEntropy", "[{|NG0208:Dense(3, Name = \"output\")|}]", "Linear")]
    [InlineData("SparseCategoricalCrossEntropy", "[Dense(3, {|NG0208:Activation.ReLU|}, Name = \"output\")]", "ReLU")]
    [InlineData("CategoricalCrossEntropy", "[Dense(3, {|NG0208:activation: Activation.Tanh|}, Name = \"output\")]", "Tanh")]
    [InlineData("SparseCategoricalCrossEntropy", "[Dense(3, {|NG0208:Activation.LeakyReLU|}, Name = \"output\")]", "LeakyReLU")]
    public void NG0208_categorical_cross_entropy_without_softmax(string loss, string output, string activation)
    {
        // Keras's from_logits habit: trained at chance, the loss stuck.
        Diagnostic d = Single("[Sequential(4, Loss = Loss." + loss + ")]\n[Dense(8, Activation.ReLU)]\n" + output + "\npublic partial class Net;");
        Assert.Equal(
            loss + " needs class probabilities, but output layer 'output' has activation " + activation
                + ", which gives none: set Activation.Softmax on it (NetGen fuses the softmax into the loss, like Keras's from_logits=True)",
            Message(d));
    }

    [Theory]
    [InlineData("[{|NG0209:Dense(1, Name = \"output\")|}]", "Linear")]
    [InlineData("[Dense(1, {|NG0209:Activation.ReLU|}, Name = \"output\")]", "ReLU")]
    [InlineData("[Dense(2, {|NG0209:Activation.Tanh|}, Name = \"output\")]", "Tanh")]
    public void NG0209_binary_cross_entropy_without_sigmoid(string output, string activation)
    {
        // XOR reached 0.75 and predicted 1.089 with a linear output.
        Diagnostic d = Single("[Sequential(2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(4, Activation.Tanh)]\n" + output + "\npublic partial class Net;");
        Assert.Equal(
            "BinaryCrossEntropy needs probabilities in (0, 1), but output layer 'output' has activation " + activation
                + ": set Activation.Sigmoid on it (NetGen fuses the sigmoid into the loss, like Keras's from_logits=True)",
            Message(d));
    }

    [Theory]
    [InlineData("BinaryCrossEntropy", "1, Activation.Sigmoid")]
    [InlineData("BinaryCrossEntropy", "3, Activation.Sigmoid")] // multi-label
    [InlineData("CategoricalCrossEntropy", "3, Activation.Softmax")]
    [InlineData("SparseCategoricalCrossEntropy", "3, Activation.Softmax")]
    [InlineData("CategoricalCrossEntropy", "3, Activation.Sigmoid")] // rescaled to sum to 1, as Keras does
    [InlineData("SparseCategoricalCrossEntropy", "3, Activation.Sigmoid")]
    [InlineData("MeanSquaredError", "3")]
    [InlineData("MeanSquaredError", "3, Activation.Sigmoid")]
    [InlineData("MeanAbsoluteError", "1, Activation.ReLU")]
    public void The_fused_and_regression_combinations_stay_valid(string loss, string output)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n[Sequential(4, Loss = Loss." + loss + ")]\n[Dense(8, Activation.ReLU)]\n[Dense(" + output + ")]\npublic partial class Net;\n");
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    // ---- Every mistake in one build ----

    [Fact]
    public void A_model_with_several_mistakes_reports_each_once_in_one_build()
    {
        // One model needed three fix-and-rebuild rounds: a layer of unknown width stopped every later check. Now the
        // Dense after it has a known output again, so the loss is judged; its own InputSize = 5 is not a mismatch,
        // since what it receives is unknown (no cascade).
        ImmutableArray<Diagnostic> diagnostics = Verify("""
            [Sequential(4, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(16, Activation.ReLU, {|NG0107:InputSize = 3|})]
            [Dense({|NG0101:0|})]
            [Dense(8, Activation.LeakyReLU, {|NG0112:Alpha = double.PositiveInfinity|}, InputSize = 5)]
            [Dropout({|NG0102:1.5|})]
            [Dense(3, {|NG0208:Activation.ReLU|})]
            public partial class Net;
            """);
        Assert.Equal(5, diagnostics.Length);
    }

    [Fact]
    public void Checks_resume_after_a_layer_of_unknown_width()
    {
        ImmutableArray<Diagnostic> diagnostics = Verify("""
            [Sequential(4)]
            [Dense({|NG0101:0|})]
            [Dense(8, Name = "hidden")]
            [Dense(1, {|NG0107:InputSize = 3|})]
            public partial class Net;
            """);
        Assert.Equal("'dense_1' expects 3 inputs but 'hidden' produces 8", Message(diagnostics[1]));
    }

    [Theory]
    [InlineData("[Sequential({|NG0104:0|}, Loss = Loss.BinaryCrossEntropy)]\n[Dense(4, Activation.ReLU)]\n[{|NG0209:Dense(1)|}]")]
    [InlineData("[{|NG0005:Sequential(Loss = Loss.MeanSquaredError)|}]\n[Dense(4, Activation.ReLU)]\n[{|NG0205:Dropout(0.5)|}]")]
    public void The_output_layer_is_judged_whatever_the_input_shape(string attributes) =>
        Verify(attributes + "\npublic partial class Net;");
}
