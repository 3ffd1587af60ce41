using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using NetGen.CodeFixes;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>NG0208 and NG0209: the output layer gets Softmax or Sigmoid, replacing its activation or added after its units.</summary>
public sealed class SetOutputActivationFixTests
{
    [Theory]
    [InlineData("[Dense(3)]", "[Dense(3, Activation.Softmax)]")]
    [InlineData("[Dense(3, Name = \"output\")]", "[Dense(3, Activation.Softmax, Name = \"output\")]")]
    [InlineData("[Dense(3, Activation.ReLU, Name = \"output\")]", "[Dense(3, Activation.Softmax, Name = \"output\")]")]
    [InlineData("[Dense(3, activation: Activation.Tanh)]", "[Dense(3, activation: Activation.Softmax)]")]
    [InlineData("[Dense(units: 3, Name = \"output\", InputSize = 8)]", "[Dense(units: 3, activation: Activation.Softmax, Name = \"output\", InputSize = 8)]")]
    [InlineData("[Dense(3), Serializable]", "[Dense(3, Activation.Softmax), Serializable]")]
    public async Task Softmax_for_the_categorical_losses(string output, string expected)
    {
        string source = "using System;\nusing NetGen;\n\n[Sequential(4, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Dense(8, Activation.ReLU)]\n" + output + "\npublic partial class Net;\n";
        string fixedSource = await CodeFixHarness.FixAsync(new SetOutputActivationCodeFixProvider(), source, DiagnosticIds.CategoricalWithoutSoftmax);
        Assert.Equal(source.Replace(output, expected, System.StringComparison.Ordinal), fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Theory]
    [InlineData("[Dense(1)]", "[Dense(1, Activation.Sigmoid)]")]
    [InlineData("[Dense(1, Activation.ReLU)]", "[Dense(1, Activation.Sigmoid)]")]
    [InlineData("[Dense(2, Activation.Tanh, Name = \"labels\")]", "[Dense(2, Activation.Sigmoid, Name = \"labels\")]")]
    public async Task Sigmoid_for_binary_cross_entropy(string output, string expected)
    {
        string source = "using NetGen;\n\n[Sequential(2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(4, Activation.Tanh)]\n" + output + "\npublic partial class Net;\n";
        string fixedSource = await CodeFixHarness.FixAsync(new SetOutputActivationCodeFixProvider(), source, DiagnosticIds.BinaryWithoutSigmoid);
        Assert.Equal(source.Replace(output, expected, System.StringComparison.Ordinal), fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Without_a_using_the_name_is_qualified()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new SetOutputActivationCodeFixProvider(), """
            [NetGen.Sequential(4, Loss = NetGen.Loss.CategoricalCrossEntropy)]
            [NetGen.Dense(3)]
            public partial class Net;
            """, DiagnosticIds.CategoricalWithoutSoftmax);
        Assert.Equal("""
            [NetGen.Sequential(4, Loss = NetGen.Loss.CategoricalCrossEntropy)]
            [NetGen.Dense(3, NetGen.Activation.Softmax)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Fix_all_sets_every_models_output()
    {
        string fixedSource = await CodeFixHarness.FixAllAsync(new SetOutputActivationCodeFixProvider(), """
            using NetGen;

            [Sequential(4, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(3)]
            public partial class A;

            [Sequential(4, Loss = Loss.CategoricalCrossEntropy)]
            [Dense(5, Activation.ReLU)]
            public partial class B;
            """, SetOutputActivationCodeFixProvider.SoftmaxKey, FixAllScope.Document);
        Assert.Equal("""
            using NetGen;

            [Sequential(4, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(3, Activation.Softmax)]
            public partial class A;

            [Sequential(4, Loss = Loss.CategoricalCrossEntropy)]
            [Dense(5, Activation.Softmax)]
            public partial class B;
            """, fixedSource);
    }
}
