using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Analyzers;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests.Analyzers;

/// <summary>
/// One test (at least) per NG diagnostic, with id markup: <c>{|NG0101:0|}</c> says NG0101 must cover exactly
/// <c>0</c>. Every test also checks the generator's side of the contract: it threw nothing and reported nothing,
/// and it emitted only a stub, which compiles, for a model with an error (the model itself for one with only warnings).
/// </summary>
public sealed partial class DiagnosticTests
{
    // ---- NG00xx: the declaration ----

    [Fact]
    public void NG0001_model_class_not_partial()
    {
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1)]
            public class {|NG0001:Net|};
            """);
        Assert.Equal("Model class 'Net' must be declared 'partial' so NetGen can generate its network code", Message(d));
    }

    [Fact]
    public void NG0002_containing_type_not_partial()
    {
        Diagnostic d = Single("""
            public class Outer
            {
                [Sequential(2)]
                [Dense(1)]
                public partial class {|NG0002:Net|};
            }
            """);
        Assert.Equal("Model class 'Net' is nested in 'Outer', which must also be declared 'partial'", Message(d));
    }

    [Fact]
    public void NG0003_generic_model()
    {
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1)]
            public partial class {|NG0003:Net|}<T>;
            """);
        Assert.Equal("Model class 'Net' cannot be generic: its shapes are fixed at build time", Message(d));
    }

    [Fact]
    public void NG0004_no_layers()
    {
        Diagnostic d = Single("""
            [{|NG0004:Sequential(2, Loss = Loss.MeanSquaredError)|}]
            public partial class Net;
            """);
        Assert.Equal("Model 'Net' has no layers: add at least one [Dense] layer after [Sequential]", Message(d));
    }

    [Theory]
    [InlineData("[{|NG0005:Sequential|}]")]
    [InlineData("[{|NG0005:Sequential(Loss = Loss.MeanSquaredError)|}]")]
    [InlineData("[Sequential({|NG0005:[]|})]")]
    [InlineData("[Sequential({|NG0005:inputShape: []|})]")]
    [InlineData("[Sequential({|NG0005:new int[0]|})]")]
    public void NG0005_missing_input_shape(string sequential)
    {
        Diagnostic d = Single(sequential + """

            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Model 'Net' declares no input shape: write e.g. [Sequential(inputShape: [784])]", Message(d));
    }

    [Fact]
    public void NG0006_duplicate_explicit_names()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Name = "hidden")]
            [Dense(3, {|NG0006:Name = "hidden"|})]
            public partial class Net;
            """);
        Assert.Equal("Layer name 'hidden' of layer #2 clashes with 'hidden' of layer #1: layer names, and the C# member names made from them, must be unique within a model", Message(d));
    }

    [Fact]
    public void NG0006_default_name_taken_by_an_explicit_one()
    {
        // As in Keras, only unnamed layers advance the default count: the unnamed layers are "dense" and "dense_1".
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Name = "dense_1")]
            [Dense(8)]
            [{|NG0006:Dense(3)|}]
            public partial class Net;
            """);
        Assert.Equal("Layer name 'dense_1' of layer #3 clashes with 'dense_1' of layer #1: layer names, and the C# member names made from them, must be unique within a model", Message(d));
    }

    [Fact]
    public void NG0006_names_that_become_the_same_identifier()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Name = "hidden_1")]
            [Dense(3, {|NG0006:Name = "hidden1"|})]
            public partial class Net;
            """);
        Assert.Equal("Layer name 'hidden1' of layer #2 clashes with 'hidden_1' of layer #1: layer names, and the C# member names made from them, must be unique within a model", Message(d));
    }

    [Fact]
    public void NG0007_base_class()
    {
        Diagnostic d = Single("""
            public class Base
            {
            }

            [Sequential(2)]
            [Dense(1)]
            public partial class {|NG0007:Net|} : Base;
            """);
        Assert.Equal("Model class 'Net' derives from 'Base', but a NetGen model derives from NetGen.Network: remove the base class", Message(d));
    }

    [Theory]
    [InlineData("object")]
    [InlineData("System.Object")]
    [InlineData("global::System.Object")]
    public void NG0007_explicit_object_base_class(string baseClass)
    {
        // Found by fuzzing: the symbol's base type is object either way, so the generator used to emit a part
        // deriving from NetGen.Network, which contradicts ': object' (CS0263).
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1)]
            public partial class {|NG0007:Net|} :
            """ + " " + baseClass + ";");
        Assert.Equal("Model class 'Net' derives from 'object', but a NetGen model derives from NetGen.Network: remove the base class", Message(d));
    }

    [Theory]
    [InlineData("using O = System.Object;", "O")]
    [InlineData("using O = object;", "O")]
    [InlineData("using Root = global::System.Object;", "Root")]
    public void NG0007_object_base_class_through_an_alias(string alias, string name)
    {
        // Found in review: the check read the spelling, so an alias of object passed and the generated
        // ': global::NetGen.Network' contradicted it (CS0263).
        Diagnostic d = Single(alias + """

            [Sequential(2)]
            [Dense(1)]
            public partial class {|NG0007:Net|} :
            """ + " " + name + ";");
        Assert.Equal("Model class 'Net' derives from 'object', but a NetGen model derives from NetGen.Network: remove the base class", Message(d));
    }

    [Fact]
    public void NG0008_layers_without_sequential()
    {
        Diagnostic d = Single("""
            [Dense(8, Activation.ReLU)]
            [Dense(1)]
            public partial class {|NG0008:Net|};
            """);
        Assert.Equal("'Net' has layer attributes but no [Sequential] attribute, so no network is generated: add [Sequential(inputShape: [...])]", Message(d));
    }

    [Fact]
    public void NG0009_static_model()
    {
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1)]
            public static partial class {|NG0009:Net|};
            """);
        Assert.Equal("Model class 'Net' cannot be static: a model is an object holding its parameters", Message(d));
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("")]
    [InlineData("hidden layer")]
    [InlineData("_hidden")]
    [InlineData("schicht\u00e9")]
    public void NG0010_invalid_layer_name(string name)
    {
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1, {|NG0010:Name = "
            """ + name + """
            "|})]
            public partial class Net;
            """);
        Assert.Equal("Layer name '" + name + "' is not valid: use ASCII letters, digits and '_', starting with a letter", Message(d));
    }

    [Theory]
    [InlineData("parameter", "Normalization", "ParameterCount")]
    [InlineData("Parameter", "Normalization", "ParameterCount")]
    public void NG0010_layer_whose_generated_member_clashes_with_a_member_every_model_has(string name, string kind, string member)
    {
        // Found in review: the view ParameterCount of a Normalization layer named "parameter" clashed with the
        // constant ParameterCount (CS0102 in the generated code).
        Diagnostic d = Single("""
            [Sequential(2)]
            [
            """ + kind + """
            ({|NG0010:Name = "
            """ + name + """
            "|})]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer name '" + name + "' is not valid: its generated member '" + member + "' would clash with the model's own '" + member + "': choose another name", Message(d));
    }

    // ---- NG01xx: layer parameters and shapes ----

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void NG0101_non_positive_units(string units)
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Activation.ReLU, Name = "hidden")]
            [Dense({|NG0101:
            """ + units + """
            |}, Activation.Sigmoid)]
            public partial class Net;
            """);
        // Default names count only unnamed layers, as in Keras: this is the first unnamed Dense, so "dense".
        Assert.Equal("Layer 'dense' has " + units + " units: a Dense layer needs at least 1", Message(d));
    }

    [Fact]
    public void NG0101_named_argument_in_any_order()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(activation: Activation.Sigmoid, {|NG0101:units: 0|})]
            public partial class Net;
            """);
        Assert.Equal("Layer 'dense' has 0 units: a Dense layer needs at least 1", Message(d));
    }

    [Fact]
    public void NG0101_attributes_split_across_parts_and_lists()
    {
        Diagnostic d = Single("""
            [System.Obsolete("interleaved"), Sequential(4)]
            public partial class Net;

            [Dense(8), Dense({|NG0101:0|})]
            public partial class Net
            {
            }
            """);
        Assert.Equal("Layer 'dense_1' has 0 units: a Dense layer needs at least 1", Message(d));
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1.5", "1.5")]
    [InlineData("-0.1", "-0.1")]
    [InlineData("double.NaN", "NaN")]
    [InlineData("0.99999999999", "0.99999999999 (1 as a float)")]
    [InlineData("1 - 1e-10", "0.9999999999 (1 as a float)")]
    [InlineData("-1e-300", "-1E-300")]
    public void NG0102_dropout_rate_out_of_range(string rate, string shown)
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Activation.ReLU)]
            [Dropout({|NG0102:
            """ + rate + """
            |})]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'dropout' has dropout rate " + shown + ": the rate must be in [0, 1)", Message(d));
    }

    [Fact]
    public void NG0103_negative_alpha()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Activation.LeakyReLU, {|NG0103:Alpha = -0.1|})]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'dense' has LeakyReLU alpha -0.1: the negative slope must be >= 0", Message(d));
    }

    [Theory]
    [InlineData("-0.01", "-0.01")]
    [InlineData("double.NaN", "NaN")]
    [InlineData("double.PositiveInfinity", "Infinity")]
    [InlineData("1e39", "1E+39")]
    public void NG0113_negative_or_non_finite_kernel_l2(string value, string shown)
    {
        Diagnostic d = Single($$"""
            [Sequential(4)]
            [Dense(8, Activation.ReLU, {|NG0113:KernelL2 = {{value}}|})]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'dense' has KernelL2 " + shown + ": the L2 factor must be a finite number >= 0 (0 for none; Keras's regularizers.l2 uses 0.01)", Message(d));
    }

    [Fact]
    public void A_kernel_l2_reaches_the_tensor_table_of_the_kernel_only()
    {
        HarnessResult result = GeneratorHarness.Run("""
            using NetGen;

            [Sequential(4)]
            [Dense(8, Activation.ReLU, KernelL2 = 0.01)]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Empty(result.AnalyzerDiagnostics);
        string network = string.Join("\n", result.GeneratedSources.Select(s => s.Text));
        Assert.Contains("(\"dense.kernel\", new int[] { 4, 8 }, 0, 32, true, 0.01f)", network, StringComparison.Ordinal);
        Assert.Contains("(\"dense.bias\", new int[] { 8 }, 32, 8, true)", network, StringComparison.Ordinal);
        Assert.Contains("(\"dense_1.kernel\", new int[] { 8, 1 }, 40, 8, true)", network, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Sequential(inputShape: [28, {|NG0104:0|}])]", "28, 0", 1, 0)]
    [InlineData("[Sequential(28, {|NG0104:0|})]", "28, 0", 1, 0)]
    [InlineData("[Sequential({|NG0104:-5|}, 28)]", "-5, 28", 0, -5)]
    [InlineData("[Sequential(new[] { 28, {|NG0104:0|} })]", "28, 0", 1, 0)]
    [InlineData("[Sequential(new int[] { 28, {|NG0104:0|} }, Loss = Loss.MeanSquaredError)]", "28, 0", 1, 0)]
    public void NG0104_non_positive_input_dimension(string sequential, string shape, int index, int value)
    {
        Diagnostic d = Single(sequential + """

            [Flatten]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal(
            "Input shape [" + shape + "] of model 'Net' has " + value.ToString(CultureInfo.InvariantCulture) + " as dimension #"
                + (index + 1).ToString(CultureInfo.InvariantCulture) + ": every dimension must be at least 1",
            Message(d));
    }

    [Fact]
    public void NG0104_each_bad_dimension_is_reported_on_its_element()
    {
        ImmutableArray<Diagnostic> diagnostics = Verify("""
            [Sequential({|NG0104:0|}, 3, {|NG0104:-1|})]
            [Flatten]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal(2, diagnostics.Length);
    }

    [Fact]
    public void NG0105_too_many_parameters()
    {
        Diagnostic d = Single("""
            [Sequential(100000)]
            [Dense({|NG0105:3000|}, Name = "huge")]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'huge' brings the parameter count to 300,003,000, over NetGen's limit of 268,435,456: use fewer units or fewer input features", Message(d));
    }

    [Theory]
    [InlineData("[Sequential(200_000_000)]\n[{|NG0105:Normalization|}]\n[Dense(1)]", "normalization", "400,000,001")]
    [InlineData("[Sequential(100_000_000)]\n[Normalization]\n[Dense({|NG0105:1|})]", "dense", "300,000,002")]
    [InlineData("[Sequential(70_000_000)]\n[Normalization]\n[Dense({|NG0105:2|})]", "dense", "280,000,003")]
    [InlineData("[Sequential(65_536, 65_536, 65_536, 65_536)]\n[Flatten]\n[{|NG0105:Normalization|}]\n[Dense(1)]", "normalization", "9,223,372,036,854,775,807")] // 2·n saturates; + 1 must not wrap to a negative count
    public void NG0105_normalization_statistics_count_against_the_limit(string model, string layer, string count)
    {
        // Found in review: the non-trainable mean, variance and count were left out, so [Sequential(200_000_000)]
        // [Normalization] [Dense(1)] generated ParameterCount = 600000002.
        Diagnostic d = Single(model + "\npublic partial class Net;");
        Assert.Equal("Layer '" + layer + "' brings the parameter count to " + count + ", over NetGen's limit of 268,435,456: use fewer units or fewer input features", Message(d));
    }

    [Theory]
    [InlineData("[Sequential(50_000, 50_000)]\n[Flatten]\n[Dense({|NG0105:1|})]", "2,500,000,001")]
    [InlineData("[Sequential(65_536, 65_536, 65_536)]\n[Flatten]\n[Dense({|NG0105:2|})]", "562,949,953,421,314")]
    [InlineData("[Sequential(int.MaxValue, int.MaxValue, int.MaxValue)]\n[Flatten]\n[Dense({|NG0105:2|})]", "9,223,372,036,854,775,809")]
    public void NG0105_counts_past_int_MaxValue_exactly(string model, string count)
    {
        // Found in review: sizes were clamped at int.MaxValue, so this reported 2,147,483,648. (The last saturates
        // the kernel at long.MaxValue, far past any limit.)
        Diagnostic d = Single(model + "\npublic partial class Net;");
        Assert.Equal("Layer 'dense' brings the parameter count to " + count + ", over NetGen's limit of 268,435,456: use fewer units or fewer input features", Message(d));
    }

    [Fact]
    public void NG0106_dense_needs_flatten()
    {
        Diagnostic d = Single("""
            [Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
            [{|NG0106:Dense(100, Activation.ReLU, Name = "hidden")|}]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'hidden' needs a 1-D input but receives shape [28, 28]: insert [Flatten] before it", Message(d));
    }

    [Fact]
    public void NG0107_declared_input_size_mismatch()
    {
        Diagnostic d = Single("""
            [Sequential(784, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(100, Activation.ReLU, Name = "hidden")]
            [Dense(10, Activation.Softmax, Name = "output", {|NG0107:InputSize = 64|})]
            public partial class Net;
            """);
        Assert.Equal("'output' expects 64 inputs but 'hidden' produces 100", Message(d));
    }

    [Fact]
    public void NG0107_declared_input_size_mismatch_after_flatten()
    {
        Diagnostic d = Single("""
            [Sequential(inputShape: [28, 28])]
            [Flatten]
            [Dense(10, {|NG0107:InputSize = 28|})]
            public partial class Net;
            """);
        Assert.Equal("'dense' expects 28 inputs but 'flatten' produces 784", Message(d));
    }

    [Fact]
    public void NG0107_declared_input_size_mismatch_on_the_first_layer()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(1, {|NG0107:InputSize = 3|})]
            public partial class Net;
            """);
        Assert.Equal("'dense' expects 3 inputs but the input produces 4", Message(d));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("int.MinValue")]
    public void NG0107_negative_input_size(string size)
    {
        // Found in review: only a positive InputSize was checked, so a negative one was silently ignored.
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(3, {|NG0107:InputSize =
            """ + " " + size + """
            |})]
            public partial class Net;
            """);
        Assert.Equal("'dense' expects " + (size == "-5" ? "-5" : "-2147483648") + " inputs but the input produces 4", Message(d));
    }

    [Fact]
    public void NG0108_alpha_without_leaky_relu_is_a_warning()
    {
        Diagnostic d = Single(
            """
            [Sequential(4)]
            [Dense(8, Activation.ReLU, {|NG0108:Alpha = 0.1|})]
            [Dense(1)]
            public partial class Net;
            """,
            DiagnosticSeverity.Warning);
        Assert.Equal("Layer 'dense' sets Alpha but its activation is ReLU: Alpha only applies to LeakyReLU", Message(d));
    }

    [Theory]
    [InlineData("(Activation)9", "9")]
    [InlineData("activation: (Activation)(-1)", "-1")]
    public void NG0111_activation_outside_the_enum(string activation, string value)
    {
        // Found by fuzzing: a cast binds cleanly, and the generator emitted 'Activation.9'.
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, {|NG0111:
            """ + activation + """
            |})]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'dense' has activation " + value + ", which is not a NetGen.Activation value: use Linear, Sigmoid, Tanh, ReLU, LeakyReLU or Softmax", Message(d));
    }

    // ---- NG02xx: the loss against the output layer ----

    [Fact]
    public void NG0201_sparse_categorical_with_one_unit()
    {
        Diagnostic d = Single("""
            [Sequential(4, {|NG0201:Loss = Loss.SparseCategoricalCrossEntropy|})]
            [Dense(8, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid, Name = "output")]
            public partial class Net;
            """);
        Assert.Equal("SparseCategoricalCrossEntropy needs one output unit per class, but output layer 'output' has 1 unit: use BinaryCrossEntropy with a sigmoid, or more units", Message(d));
    }

    [Fact]
    public void NG0202_binary_cross_entropy_over_softmax()
    {
        Diagnostic d = Single("""
            [Sequential(4, {|NG0202:Loss = Loss.BinaryCrossEntropy|})]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """);
        Assert.Equal("BinaryCrossEntropy over a softmax of 3 units treats coupled class probabilities as independent: use CategoricalCrossEntropy (or Sigmoid for multi-label)", Message(d));
    }

    [Fact]
    public void NG0203_softmax_with_the_default_regression_loss_is_a_warning_on_the_attribute()
    {
        Diagnostic d = Single(
            """
            [{|NG0203:Sequential(4)|}]
            [Dense(3, Activation.Softmax, Name = "output")]
            public partial class Net;
            """,
            DiagnosticSeverity.Warning);
        Assert.Equal("Output layer 'output' is a softmax but the loss is MeanSquaredError: for classification use CategoricalCrossEntropy or SparseCategoricalCrossEntropy", Message(d));
    }

    [Fact]
    public void NG0203_softmax_with_a_declared_regression_loss_is_a_warning_on_the_loss()
    {
        Diagnostic d = Single(
            """
            [Sequential(4, {|NG0203:Loss = Loss.MeanAbsoluteError|})]
            [Dense(3, Activation.Softmax, Name = "output")]
            public partial class Net;
            """,
            DiagnosticSeverity.Warning);
        Assert.Equal("Output layer 'output' is a softmax but the loss is MeanAbsoluteError: for classification use CategoricalCrossEntropy or SparseCategoricalCrossEntropy", Message(d));
    }

    [Fact]
    public void NG0204_categorical_with_one_unit()
    {
        Diagnostic d = Single("""
            [Sequential(4, {|NG0204:Loss = Loss.CategoricalCrossEntropy|})]
            [Dense(1, Activation.Softmax, Name = "output")]
            public partial class Net;
            """);
        Assert.Equal("CategoricalCrossEntropy over output layer 'output' of 1 unit is always 0: use BinaryCrossEntropy with a sigmoid, or one unit per class", Message(d));
    }

    [Theory]
    [InlineData("[Sequential(4)]\n[Dense(8)]\n[{|NG0205:Dropout(0.5)|}]", "dropout", "Dropout")]
    [InlineData("[Sequential(28, 28)]\n[{|NG0205:Flatten(Name = \"flat\")|}]", "flat", "Flatten")]
    public void NG0205_output_not_dense(string layers, string name, string kind)
    {
        Diagnostic d = Single(layers + "\npublic partial class Net;\n");
        Assert.Equal("The last layer '" + name + "' is a " + kind + " layer: a model must end with a [Dense] layer that produces its output", Message(d));
    }

    [Fact]
    public void NG0206_loss_outside_the_enum()
    {
        // Found by fuzzing: the generator emitted 'Loss.7'.
        Diagnostic d = Single("""
            [Sequential(4, {|NG0206:Loss = (Loss)7|})]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Loss 7 is not a NetGen.Loss value: use MeanSquaredError, MeanAbsoluteError, BinaryCrossEntropy, CategoricalCrossEntropy or SparseCategoricalCrossEntropy", Message(d));
    }

    [Theory]
    [InlineData("Sequential(4, Loss = Loss.BinaryCrossEntropy)")]
    [InlineData("Sequential(4)")]
    [InlineData("Sequential(4, Loss = Loss.MeanAbsoluteError)")]
    public void NG0207_softmax_over_one_output_unit(string sequential)
    {
        // Found in review: with binary cross-entropy (NG0202 needs several units) nothing was reported, and the
        // regression losses only warned (NG0203), yet the output is always 1.
        Diagnostic d = Single("[" + sequential + """
            ]
            [Dense(8, Activation.ReLU)]
            [Dense(1, {|NG0207:Activation.Softmax|}, Name = "output")]
            public partial class Net;
            """);
        Assert.Equal("Output layer 'output' is a softmax over 1 unit, which always outputs 1, so nothing can be learned: use Sigmoid for one probability, or one unit per class with a categorical loss", Message(d));
    }

    // ---- Several findings, and none ----

    [Fact]
    public void Independent_problems_are_all_reported()
    {
        ImmutableArray<Diagnostic> diagnostics = Verify("""
            [Sequential(4)]
            [Dense({|NG0101:0|}, Name = "hidden")]
            [Dropout({|NG0102:1.0|})]
            [Dense(2, Activation.LeakyReLU, {|NG0103:Alpha = -1|}, {|NG0010:Name = "9lives"|})]
            public class {|NG0001:Net|};
            """);
        Assert.Equal(5, diagnostics.Length);
    }

    public static TheoryData<string> ValidModels => TestModels.Names;

    [Theory]
    [MemberData(nameof(ValidModels))]
    public void Valid_models_produce_no_diagnostics(string model)
    {
        HarnessResult result = GeneratorHarness.Run(TestModels.All[model]);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Null(result.GeneratorException);
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    [Theory]
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic partial class Net : Network;")]
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic sealed partial class Net : System.IDisposable\n{\n    public void Dispose()\n    {\n    }\n}")]
    [InlineData("[Sequential(2)]\n[Dropout(0)]\n[Dense(4, Activation.LeakyReLU, Alpha = 0)]\n[Dense(1)]\ninternal partial class Net;")]
    [InlineData("[Sequential(28, 28, Loss = Loss.CategoricalCrossEntropy)]\n[Flatten]\n[Flatten]\n[Dense(10, Activation.Softmax, InputSize = 784)]\n[Dense(10, Activation.Softmax, InputSize = 10)]\npublic partial class Net;")]
    [InlineData("[Sequential(new[] { 3 }, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, Activation.Sigmoid, Name = \"Out_2\")]\npublic partial class Net;")]
    [InlineData("[Sequential(2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, Activation.ReLU, Name = \"gradient\")]\n[Dropout(0.5, Name = \"capacity\")]\n[Dense(3, Activation.Tanh, Name = \"x\")]\n[Dense(2, Activation.Sigmoid, Name = \"gradient_ping\")]\n[Dense(1, Activation.Sigmoid, Name = \"loss\")]\npublic partial class Net;")]
    [InlineData("public partial record struct Outer\n{\n    [Sequential(2)]\n    [Dense(1, Activation.Tanh)]\n    public partial class Net;\n}")]
    [InlineData("[Sequential(2)]\n[Dropout(0, Name = \"drop\")]\n[Dense(1, Name = \"output\")]\npublic partial class _outputA;")]
    [InlineData("[Sequential(2)]\n[Dropout(0, Name = \"drop\")]\n[Dense(1)]\npublic partial class _dropMask;")]
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic partial class Net : IFuzzMarker;\n\npublic interface IFuzzMarker;")]
    [InlineData("[Sequential(2)]\n[Dropout(0.99999994)]\n[Dense(1)]\npublic partial class Net;")]
    [InlineData("using D = System.IDisposable;\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net : D\n{\n    public void Dispose()\n    {\n    }\n}")]
    [InlineData("using N = NetGen.Network;\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net : N;")]
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic partial class Net\n{\n    public Net()\n        : this(42)\n    {\n    }\n\n    private static void EnsureCapacity(long size) => _ = size;\n\n    protected static int ForwardCore(int x) => x;\n\n    public int Kernel => 0;\n}")]
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic partial class Net\n{\n    private static void EnsureCapacity<T>(int size) => _ = size;\n\n    private static void EnsureCapacity(ref readonly int size) => _ = size;\n}")] // overloads by generic arity and by reference: legal
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic partial class Net : Object;\n\npublic interface Object;")]
    [InlineData("[Sequential(2)]\n[Dense(1)]\npublic partial class Net\n{\n    public Net(int width)\n        : this(seed: 42) => Width = width;\n\n    public int Width { get; }\n}")]
    public void Edge_case_valid_models_produce_no_diagnostics_and_compile(string model)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n" + model + "\n");
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    [Fact]
    public void NG0011_record_model()
    {
        // Records are not found by the generator at all; the analyzer says why nothing is generated.
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1)]
            public partial record {|NG0011:Net|};
            """);
        Assert.Equal("Model 'Net' is a record: declare it as a 'partial class', since a model is mutable state and record equality over it would be meaningless", Message(d));
    }

    [Fact]
    public void NG0012_file_local_model()
    {
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1)]
            file partial class {|NG0012:Net|};
            """);
        Assert.Equal("Model class 'Net' is declared 'file', but its generated part lives in another file: use 'internal' instead", Message(d));
    }

    [Fact]
    public void NG0012_model_nested_in_a_file_local_type()
    {
        // Found in review: the generated 'partial class Outer' in another file declared a second Outer, which got the
        // network code instead of the model, silently.
        Diagnostic d = Single("""
            file partial class Outer
            {
                [Sequential(2)]
                [Dense(1)]
                public partial class {|NG0012:Inner|};
            }
            """);
        Assert.Equal("Model class 'Inner' is nested in 'Outer', which is declared 'file', but its generated part lives in another file: use 'internal' instead", Message(d));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp9, "9.0")]
    [InlineData(LanguageVersion.CSharp8, "8.0")]
    public void NG0014_language_version_older_than_the_generated_code_needs(LanguageVersion version, string shown)
    {
        // The generated code uses file-scoped namespaces (C# 10): in an older project it would not compile.
        Diagnostic d = Assert.Single(Verify(
            """
            [Sequential(2)]
            [Dense(1)]
            public partial class {|NG0014:Net|}
            {
            }
            """,
            version: version));
        Assert.Equal("Model class 'Net' is compiled as C# " + shown + ", but NetGen's generated code needs C# 10.0 or later: raise <LangVersion> in the project, or remove it to use the SDK's default", Message(d));
    }

    [Theory]
    [InlineData("public partial class Net{|NG0015:()|};")]
    [InlineData("public partial class Net{|NG0015:(int width)|}\n{\n    public int Width { get; } = width;\n}")]
    [InlineData("public partial class Net;\n\npublic partial class Net{|NG0015:()|}\n{\n}")]
    public void NG0015_primary_constructor(string declaration)
    {
        // Found in review: the generated constructor then lacked this(...) (CS8862) and the primary one called a
        // parameterless NetGen.Network constructor that does not exist (CS7036).
        Diagnostic d = Single("[Sequential(2)]\n[Dense(1)]\n" + declaration);
        Assert.Equal("Model class 'Net' has a primary constructor, but NetGen generates the model's constructor, which must call NetGen.Network's: remove the parameter list, and write a constructor that calls this(seed) if you need parameters", Message(d));
    }

    [Theory]
    [InlineData("public const int {|NG0016:InputSize|} = 2;", "InputSize")]
    [InlineData("private int {|NG0016:_capacity|} = 1;\n    public int Capacity => _capacity;", "_capacity")]
    [InlineData("public int {|NG0016:HiddenKernel|} { get; }", "HiddenKernel")]
    [InlineData("public float[] {|NG0016:NormalizationMean|} { get; } = [];", "NormalizationMean")]
    [InlineData("public sealed class {|NG0016:ParameterCount|};", "ParameterCount")]
    [InlineData("public static string {|NG0016:Summary|}() => \"mine\";", "Summary()")]
    [InlineData("public int {|NG0016:EnsureCapacity|} => 0;", "EnsureCapacity")]
    [InlineData("private void {|NG0016:EnsureCapacity|}(int size) => _ = size;", "EnsureCapacity(int)")]
    [InlineData("public {|NG0016:Net|}(long? seed) => _ = seed;", "Net(long?)")]
    [InlineData("protected new global::NetGen.Network {|NG0016:CreateInstance|}() => this;", "CreateInstance()")]
    public void NG0016_user_member_named_like_a_generated_one(string member, string shown)
    {
        // Found in review: 'public const int InputSize = 2;' in the model class gave CS0102 in the generated code.
        Diagnostic d = Single("""
            [Sequential(2)]
            [Normalization]
            [Dense(1, Name = "hidden")]
            public partial class Net
            {
                
            """ + member + """

            }
            """);
        Assert.Equal("Model class 'Net' declares '" + shown + "', which NetGen generates for the model too: rename it, or for a method or constructor, change its parameters", Message(d));
    }

    [Theory]
    [InlineData("Summary", "")]
    [InlineData("InputSize", "")]
    [InlineData("NetKernel", ", Name = \"net\"")]
    [InlineData("OutputBiasGradient", ", Name = \"output\"")]
    [InlineData("EnsureCapacity", "")]
    [InlineData("ForwardCore", "")]
    [InlineData("ComputeLossCore", "")]
    [InlineData("_capacity", "")]
    [InlineData("s_info", "")]
    [InlineData("_gradientPong", "")]
    [InlineData("_netZ", ", Name = \"net\"")]
    [InlineData("_netA", ", Activation.Tanh, Name = \"net\"")]
    public void NG0013_class_name_clashes_with_a_generated_member(string className, string name)
    {
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dense(1
            """ + name + """
            )]
            public partial class {|NG0013:
            """ + className + """
            |};
            """);
        Assert.StartsWith("Model class '" + className + "' would contain a generated member of the same name", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0109_normalization_after_dense()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Dense(8, Activation.ReLU, Name = "hidden")]
            [{|NG0109:Normalization|}]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Normalization layer 'normalization' comes after 'hidden', a layer with trainable weights: it standardizes the raw input features that Adapt measures, so put it before the first Dense, Conv2D or BatchNormalization layer", Message(d));
    }

    [Fact]
    public void NG0110_two_normalization_layers()
    {
        Diagnostic d = Single("""
            [Sequential(4)]
            [Normalization]
            [{|NG0110:Normalization(Name = "again")|}]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Normalization layer 'again' repeats 'normalization': standardizing already standardized inputs does nothing, so keep one", Message(d));
    }

    [Fact]
    public void NG0106_normalization_needs_a_flat_input_too()
    {
        Diagnostic d = Single("""
            [Sequential(28, 28)]
            [{|NG0106:Normalization|}]
            [Flatten]
            [Dense(1)]
            public partial class Net;
            """);
        Assert.Equal("Layer 'normalization' needs a 1-D input but receives shape [28, 28]: insert [Flatten] before it", Message(d));
    }

    [Theory]
    [InlineData("NormalizationMean", "")]
    [InlineData("NormalizationVariance", "")]
    [InlineData("NormalizationCount", "")]
    [InlineData("_normalizationOutput", "")]
    [InlineData("_nOutput", "(Name = \"n\")")]
    [InlineData("StatsMean", "(Name = \"stats\")")]
    public void NG0013_class_name_clashes_with_a_normalization_member(string className, string arguments)
    {
        // Found in review: the validator knew no Normalization member, so these gave CS0542 in the generated code.
        Diagnostic d = Single("""
            [Sequential(2)]
            [Normalization
            """ + arguments + """
            ]
            [Dense(1)]
            public partial class {|NG0013:
            """ + className + """
            |};
            """);
        Assert.StartsWith("Model class '" + className + "' would contain a generated member of the same name", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0013_class_name_clashes_with_a_dropout_buffer()
    {
        // Found by fuzzing: private buffers and overrides clash too (CS0542 in the generated code).
        Diagnostic d = Single("""
            [Sequential(2)]
            [Dropout(0.5, Name = "drop")]
            [Dense(1)]
            public partial class {|NG0013:_dropMask|};
            """);
        Assert.StartsWith("Model class '_dropMask' would contain a generated member of the same name", Message(d), StringComparison.Ordinal);
    }

    // ---- NG03xx: using a generated model ----

    private const string UsageModel = """
        [Sequential(4, Loss = Loss.SparseCategoricalCrossEntropy)]
        [Dense(8, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class Net;

        """;

    [Theory]
    [InlineData("m.Predict({|NG0301:new float[5]|});", "Net.Predict expects 4 input values (one sample), but this argument has 5")]
    [InlineData("m.Predict({|NG0301:[1f, 2f, 3f]|}, new float[3]);", "Net.Predict expects 4 input values (one sample), but this argument has 3")]
    [InlineData("System.Span<float> s = stackalloc float[6]; m.Predict({|NG0301:s|});", "Net.Predict expects 4 input values (one sample), but this argument has 6")]
    [InlineData("const int N = 2; var buffer = new float[N]; m.Predict({|NG0301:buffer|});", "Net.Predict expects 4 input values (one sample), but this argument has 2")]
    [InlineData("m.PredictBatch({|NG0301:new float[10]|}, new float[6]);", "Net.PredictBatch expects a multiple of 4 input values (whole samples), but this argument has 10")]
    [InlineData("m.Forward({|NG0301:new float[12]|}, 2);", "Net.Forward expects 8 input values (2 samples of 4), but this argument has 12")]
    public void NG0301_input_of_the_wrong_length(string call, string message) =>
        Assert.Equal(message, Message(Single(UsageModel + "static class Use { static void Run(Net m) { " + call + " } }")));

    [Theory]
    [InlineData("m.Predict(new float[4], {|NG0302:new float[4]|});", "Net.Predict writes 3 output values, but this buffer has 4")]
    [InlineData("m.PredictBatch(new float[8], {|NG0302:new float[3]|});", "Net.PredictBatch writes 6 output values, but this buffer has 3")]
    public void NG0302_output_of_the_wrong_length(string call, string message) =>
        Assert.Equal(message, Message(Single(UsageModel + "static class Use { static void Run(Net m) { " + call + " } }")));

    [Theory]
    [InlineData("m.Fit({|NG0303:new float[10, 5]|}, new int[10], verbose: 0);", "Net.Fit expects rows of 4 features, but this array's rows have 5")]
    [InlineData("m.Evaluate(new float[10, 4], {|NG0303:new float[10, 3]|});", "Net.Evaluate expects rows of 1 target values, but this array's rows have 3")]
    [InlineData("m.Predict({|NG0303:new float[,] { { 1f, 2f } }|});", "Net.Predict expects rows of 4 features, but this array's rows have 2")]
    public void NG0303_rows_of_the_wrong_width(string call, string message) =>
        Assert.Equal(message, Message(Single(UsageModel + "static class Use { static void Run(Net m) { " + call + " } }")));

    [Theory]
    [InlineData("m.Predict(new float[4], new float[3]);")]
    [InlineData("m.Predict(Read());")]
    [InlineData("var b = new float[5]; b = new float[4]; m.Predict(b);")]
    [InlineData("m.PredictBatch(new float[8], new float[6]);")]
    [InlineData("m.Fit(new float[10, 4], new int[10], verbose: 0);")]
    [InlineData("int n = 3; m.Forward(new float[12], n);")]
    public void Correct_or_unknown_lengths_are_not_reported(string call)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n" + UsageModel
            + "static class Use { static float[] Read() => new float[4]; static void Run(Net m) { " + call + " } }");
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
    }

    // ---- The catalog ----

    [Fact]
    public void Every_id_has_one_descriptor_the_analyzer_supports_and_a_test_here()
    {
        string[] ids = [.. typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)];
        ImmutableArray<DiagnosticDescriptor> supported = [.. new NetworkAnalyzer().SupportedDiagnostics, .. new UsageAnalyzer().SupportedDiagnostics];

        Assert.Equal(ids, supported.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(supported, d =>
        {
            Assert.Equal("https://github.com/netgen-dotnet/netgen/blob/main/docs/diagnostics.md#" + d.Id.ToLowerInvariant(), d.HelpLinkUri);
            Assert.True(d.IsEnabledByDefault);
            Assert.Equal(
                d.Id is DiagnosticIds.AlphaWithoutLeakyRelu or DiagnosticIds.SoftmaxWithRegressionLoss or DiagnosticIds.UnusedInputRows ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
                d.DefaultSeverity);
        });

        string[] tested = [.. typeof(DiagnosticTests).GetMethods().Select(m => m.Name.Split('_')[0]).Distinct()];
        Assert.All(ids, id => Assert.Contains(id, tested));
    }

    [Theory]
    [InlineData("a {|NG0001:b|} c", "a b c", "NG0001", 2, 3)]
    [InlineData("{|NG0004:x{|NG0101:0|}|}", "x0", "NG0101", 1, 2)]
    [InlineData("{|NG0203:|}", "", "NG0203", 0, 0)]
    public void Markup_parser_strips_markers_and_finds_spans(string markup, string source, string id, int start, int end)
    {
        (string text, ImmutableArray<ExpectedDiagnostic> expected) = Markup.Parse(markup);
        Assert.Equal(source, text);
        Assert.Contains(new ExpectedDiagnostic(id, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, end)), expected);
    }

    [Theory]
    [InlineData("{|NG0001 x|}")]
    [InlineData("a |} b")]
    [InlineData("{|NG0001:never closed")]
    public void Markup_parser_rejects_malformed_markup(string markup) =>
        Assert.Throws<FormatException>(() => Markup.Parse(markup));

    // ---- Helpers ----

    private static Diagnostic Single(string markup, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        Assert.Single(Verify(markup, severity));

    /// <summary>
    /// Runs the generator and the analyzer on <c>using NetGen;</c> + <paramref name="markup"/> and asserts that the
    /// analyzer reports exactly the marked diagnostics, each with <paramref name="severity"/>; that the test source
    /// is otherwise valid C#; and that the generator threw nothing, reported nothing, and emitted the model only if
    /// every finding is a warning (else at most its stub).
    /// </summary>
    private static ImmutableArray<Diagnostic> Verify(string markup, DiagnosticSeverity severity = DiagnosticSeverity.Error, LanguageVersion? version = null)
    {
        (string source, ImmutableArray<ExpectedDiagnostic> expected) = Markup.Parse("using NetGen;\n\n" + markup + "\n");
        Assert.NotEmpty(expected);
        HarnessResult result = version is { } v ? GeneratorHarness.Run(v, source) : GeneratorHarness.Run(source);

        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Equal(
            expected.Select(e => Describe(source, e.Id, e.Span)),
            result.AnalyzerDiagnostics.Select(d => Describe(source, d.Id, d.Location.SourceSpan)));
        Assert.All(result.AnalyzerDiagnostics, d =>
        {
            Assert.Equal(severity, d.Severity);
            Assert.Same(result.Input.SyntaxTrees[0], d.Location.SourceTree);
        });
        // NG03xx are about using a valid model, which is generated as usual. A refused model gets at most its stub,
        // which compiled cleanly above.
        bool usage = expected.All(e => e.Id.StartsWith("NG03", StringComparison.Ordinal));
        if (severity == DiagnosticSeverity.Error && !usage)
        {
            Assert.True(result.GeneratedSources.Length <= 1);
            Assert.All(result.GeneratedSources, f => Assert.Contains("throw new global::System.InvalidOperationException(", f.Text, StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(3, result.GeneratedSources.Length);
        }

        return result.AnalyzerDiagnostics;
    }

    private static string Describe(string source, string id, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        id + " at " + span + ": '" + source.Substring(span.Start, span.Length) + "'";

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
