using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// A user may declare attribute types with NetGen's namespace and names but other constructors or property types.
/// The parser used to index their constructor arguments and convert them unchecked (IndexOutOfRangeException: AD0001
/// from the analyzer, CS8785 from the generator). Such an attribute is not NetGen's: it is ignored, never misread.
/// </summary>
public sealed class LookalikeAttributeTests
{
    [Theory]
    [InlineData(
        "public sealed class SequentialAttribute : System.Attribute {}\npublic sealed class DenseAttribute : System.Attribute { public DenseAttribute(string units) {} }",
        "[NetGen.Sequential]\n[NetGen.Dense(\"8\")]", "")]
    [InlineData(
        "public sealed class SequentialAttribute : System.Attribute { public SequentialAttribute(int a, int b) {} }",
        "[NetGen.Sequential(2, 3)]\n[NetGen.Dense(1)]", "NG0008")]
    [InlineData(
        "public sealed class SequentialAttribute : System.Attribute { public SequentialAttribute(params long[] shape) {} }",
        "[NetGen.Sequential(2L)]\n[NetGen.Dense(1)]", "NG0008")]
    [InlineData(
        "public sealed class SequentialAttribute : System.Attribute { public SequentialAttribute(params int[] shape) {} public string? Loss { get; set; } }",
        "[NetGen.Sequential(2, Loss = \"mse\")]\n[NetGen.Dense(1)]", "NG0008")]
    [InlineData(
        "public enum Big : long { A = 1L << 40 }\npublic sealed class SequentialAttribute : System.Attribute { public SequentialAttribute(params int[] shape) {} public Big Loss { get; set; } }",
        "[NetGen.Sequential(2, Loss = NetGen.Big.A)]\n[NetGen.Dense(1)]", "NG0008")]
    [InlineData(
        "public sealed class DenseAttribute : System.Attribute { public DenseAttribute(int units) {} }",
        "[NetGen.Sequential(2)]\n[NetGen.Dense(1)]", "NG0004")]
    [InlineData(
        "public enum Big : long { A = 1L << 40 }\npublic sealed class DenseAttribute : System.Attribute { public DenseAttribute(int units, Big activation) {} }",
        "[NetGen.Sequential(2)]\n[NetGen.Dense(1, NetGen.Big.A)]", "NG0004")]
    [InlineData(
        "public sealed class DenseAttribute : System.Attribute { public DenseAttribute(long units, NetGen.Activation activation) {} }",
        "[NetGen.Sequential(2)]\n[NetGen.Dense(1L << 40, NetGen.Activation.ReLU)]", "NG0004")]
    [InlineData(
        "public sealed class DenseAttribute : System.Attribute { public DenseAttribute(int units, NetGen.Activation activation) {} public long InputSize { get; set; } public object? Name { get; set; } public float Alpha { get; set; } }",
        "[NetGen.Sequential(2)]\n[NetGen.Dense(1, NetGen.Activation.ReLU, InputSize = 1L << 40, Name = 3, Alpha = 0.5f)]", "NG0004")]
    [InlineData(
        "public sealed class DropoutAttribute : System.Attribute { public DropoutAttribute(string rate) {} }",
        "[NetGen.Sequential(2)]\n[NetGen.Dropout(\"half\")]\n[NetGen.Dense(1)]", "valid")]
    [InlineData(
        "public sealed class FlattenAttribute : System.Attribute { public FlattenAttribute(int axis) {} }",
        "[NetGen.Sequential(2)]\n[NetGen.Flatten(1)]\n[NetGen.Dense(1)]", "valid")]
    [InlineData(
        "public sealed class NormalizationAttribute : System.Attribute { public int Name { get; set; } }",
        "[NetGen.Sequential(2)]\n[NetGen.Normalization(Name = 4)]\n[NetGen.Dense(1)]", "valid")]
    public void Attributes_named_like_NetGens_with_another_shape_are_ignored(string declarations, string attributes, string outcome)
    {
        // The user's types take precedence over the runtime's (CS0436, a warning): only they bind.
        string source = "namespace NetGen\n{\n" + declarations + "\n}\n\n" + attributes + "\npublic partial class Net;\n";

        HarnessResult result = GeneratorHarness.Run(source);

        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.All(result.OutputDiagnostics, d => Assert.Equal("CS0436", d.Id));

        // The model is what the runtime's attributes that remain declare: nothing at all, layers without [Sequential]
        // (NG0008), [Sequential] without layers (NG0004), or, when a Dropout, Flatten or Normalization look-alike is
        // left out, a valid model, which is generated and compiles.
        if (outcome == "valid")
        {
            Assert.Empty(result.AnalyzerDiagnostics);
            Assert.Equal(3, result.GeneratedSources.Length);
        }
        else
        {
            // A refused model with [Sequential] gets its stub (which compiled, above); without one it is not a model.
            Assert.Equal(outcome.Length == 0 ? [] : [outcome], result.AnalyzerDiagnostics.Select(d => d.Id));
            Assert.Equal(outcome == "NG0004" ? ["Net.Network.g.cs"] : [], result.GeneratedSources.Select(f => f.HintName));
        }
    }

    [Fact]
    public void A_lookalike_of_the_runtimes_exact_shape_is_read_as_NetGens()
    {
        // Shape, not origin, decides: an attribute declared exactly like the runtime's is read (and, here, generated).
        const string Source = """
            namespace NetGen
            {
                public sealed class DropoutAttribute : System.Attribute
                {
                    public DropoutAttribute(double rate) {}
                    public string? Name { get; set; }
                }
            }

            [NetGen.Sequential(2)]
            [NetGen.Dropout(0.25, Name = "drop")]
            [NetGen.Dense(1)]
            public partial class Net;
            """;

        HarnessResult result = GeneratorHarness.Run(Source);

        Assert.Null(result.GeneratorException);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
        Assert.Contains("_dropMask", result.GeneratedSources.Single(f => f.HintName == "Net.Forward.g.cs").Text, System.StringComparison.Ordinal);
        Assert.All(result.OutputDiagnostics, d => Assert.Equal("CS0436", d.Id));
    }
}
