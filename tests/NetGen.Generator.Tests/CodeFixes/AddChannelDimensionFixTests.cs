using System.Threading.Tasks;
using NetGen.CodeFixes;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>NG0126: a height × width input shape given to a Conv2D gets its channel dimension, however the shape is written.</summary>
public sealed class AddChannelDimensionFixTests
{
    private const string Layers = """

        [Conv2D(32, 3, Activation.ReLU)]
        [MaxPooling2D(2)]
        [Flatten]
        [Dense(10, Activation.Softmax)]
        public partial class Net;
        """;

    [Theory]
    [InlineData("[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]", "[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]")]
    [InlineData("[Sequential([28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]", "[Sequential([28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]")]
    [InlineData("[Sequential(28, 28, Loss = Loss.SparseCategoricalCrossEntropy)]", "[Sequential(28, 28, 1, Loss = Loss.SparseCategoricalCrossEntropy)]")]
    [InlineData("[Sequential(new[] { 28, 28 }, Loss = Loss.SparseCategoricalCrossEntropy)]", "[Sequential(new[] { 28, 28, 1 }, Loss = Loss.SparseCategoricalCrossEntropy)]")]
    [InlineData("[Sequential(new int[] { Side, Side }, Loss = Loss.SparseCategoricalCrossEntropy)]", "[Sequential(new int[] { Side, Side, 1 }, Loss = Loss.SparseCategoricalCrossEntropy)]")]
    public async Task Appends_the_channel_dimension_as_the_shape_is_written(string sequential, string expected)
    {
        // Elements written as constants stay as written.
        bool constants = sequential.Contains("Side", System.StringComparison.Ordinal);
        string prefix = "using NetGen;\n" + (constants ? "using static Consts;\n\ninternal static class Consts { public const int Side = 28; }\n" : string.Empty) + "\n";
        string fixedSource = await CodeFixHarness.FixAsync(new AddChannelDimensionCodeFixProvider(), prefix + sequential + Layers, DiagnosticIds.MissingChannelDimension);
        Assert.Equal(prefix + expected + Layers, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task The_fixed_shape_travels_in_the_diagnostic_properties()
    {
        var document = CodeFixHarness.CreateDocument("using NetGen;\n\n[Sequential(32, 24, Loss = Loss.SparseCategoricalCrossEntropy)]" + Layers);
        var diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(document));
        Assert.Equal(DiagnosticIds.MissingChannelDimension, diagnostic.Id);
        Assert.Equal("32,24,1", diagnostic.Properties[DiagnosticProperties.ShapeWithChannel]);
    }
}
