using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.CodeFixes;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>NG0107: the declared InputSize becomes the inferred one, which the analyzer hands over in the diagnostic's properties.</summary>
public sealed class FixInputSizeFixTests
{
    [Fact]
    public async Task Inferred_size_travels_in_the_diagnostic_properties()
    {
        Document document = CodeFixHarness.CreateDocument("""
            using NetGen;

            [Sequential(784)]
            [Dense(100, Activation.ReLU)]
            [Dense(10, InputSize = 64)]
            public partial class Net;
            """);
        Diagnostic diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(document));
        Assert.Equal(DiagnosticIds.InputSizeMismatch, diagnostic.Id);
        Assert.Equal("100", Assert.Single(diagnostic.Properties, p => p.Key == DiagnosticProperties.InferredInputSize).Value);
    }

    [Fact]
    public async Task Other_diagnostics_carry_no_properties()
    {
        Document document = CodeFixHarness.CreateDocument("""
            using NetGen;

            [Sequential(inputShape: [2, 2])]
            [Dense(0)]
            public class Net;
            """);
        ImmutableArray<Diagnostic> diagnostics = await CodeFixHarness.AnalyzeAsync(document);
        Assert.Equal([DiagnosticIds.NotPartial, DiagnosticIds.NonPositiveUnits], diagnostics.Select(d => d.Id).Order());
        Assert.All(diagnostics, d => Assert.Empty(d.Properties));
    }

    [Fact]
    public async Task Typical()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new FixInputSizeCodeFixProvider(), """
            using NetGen;

            [Sequential(784, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(100, Activation.ReLU, Name = "hidden")]
            [Dense(10, Activation.Softmax, Name = "output", InputSize = 64)]
            public partial class Net;
            """, DiagnosticIds.InputSizeMismatch);
        Assert.Equal("""
            using NetGen;

            [Sequential(784, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(100, Activation.ReLU, Name = "hidden")]
            [Dense(10, Activation.Softmax, Name = "output", InputSize = 100)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Negative_size()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new FixInputSizeCodeFixProvider(), """
            using NetGen;

            [Sequential(4)]
            [Dense(3, InputSize = -5)]
            public partial class Net;
            """, DiagnosticIds.InputSizeMismatch);
        Assert.Equal("""
            using NetGen;

            [Sequential(4)]
            [Dense(3, InputSize = 4)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task After_flatten()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new FixInputSizeCodeFixProvider(), """
            using NetGen;

            [Sequential(inputShape: [28, 28])]
            [Flatten]
            [Dense(10, InputSize = 28)]
            public partial class Net;
            """, DiagnosticIds.InputSizeMismatch);
        Assert.Equal("""
            using NetGen;

            [Sequential(inputShape: [28, 28])]
            [Flatten]
            [Dense(10, InputSize = 784)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task On_the_first_layer_with_odd_spacing_and_an_expression()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new FixInputSizeCodeFixProvider(), """
            using NetGen;

            [Sequential(4)]
            [Dense(1, InputSize =  2 + 1 /* three */)]
            public partial class Net;
            """, DiagnosticIds.InputSizeMismatch);
        Assert.Equal("""
            using NetGen;

            [Sequential(4)]
            [Dense(1, InputSize =  4 /* three */)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        string fixedSource = await CodeFixHarness.FixAllAsync(new FixInputSizeCodeFixProvider(), """
            using NetGen;

            [Sequential(4)]
            [Dense(8, InputSize = 3)]
            [Dropout(0.5)]
            [Dense(1, InputSize = 4)]
            public partial class First;

            [Sequential(inputShape: [3, 5])]
            [Flatten]
            [Dense(2, InputSize = 5)]
            public partial class Second;
            """, FixInputSizeCodeFixProvider.EquivalenceKey);
        Assert.Equal("""
            using NetGen;

            [Sequential(4)]
            [Dense(8, InputSize = 4)]
            [Dropout(0.5)]
            [Dense(1, InputSize = 8)]
            public partial class First;

            [Sequential(inputShape: [3, 5])]
            [Flatten]
            [Dense(2, InputSize = 15)]
            public partial class Second;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task No_action_without_the_property()
    {
        Document document = CodeFixHarness.CreateDocument("""
            using NetGen;

            [Sequential(4)]
            [Dense(1, InputSize = 3)]
            public partial class Net;
            """);
        Diagnostic diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(document));
        Diagnostic stripped = Diagnostic.Create(diagnostic.Descriptor, diagnostic.Location);
        Assert.Empty(await CodeFixHarness.ActionsAsync(new FixInputSizeCodeFixProvider(), document, [stripped]));
    }
}
