using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every file the generator emits for six representative models, against golden files in Snapshots/. Each model
/// must also produce no diagnostic at all and compile, with the runtime, with no error and no warning.
/// </summary>
public sealed class EmitterSnapshotTests
{
    [Fact]
    public void Xor() => AssertEmits(TestModels.Xor, "Samples.Xor.XorNet");

    [Fact]
    public void Mlp() => AssertEmits(TestModels.Mlp, "Samples.Mnist.MnistMlp");

    [Fact]
    public void Regression() => AssertEmits(TestModels.Regression, "Samples.Regression.HousingRegressor");

    [Fact]
    public void Nested() => AssertEmits(TestModels.Nested, "Models.IrisNet");

    [Fact]
    public void Cnn() => AssertEmits(TestModels.Cnn, "Samples.Fashion.FashionCnn");

    [Fact]
    public void BatchNormCnn() => AssertEmits(TestModels.BatchNormCnn, "Samples.Fashion.BatchNormCnn");

    private static void AssertEmits(string source, string fullName, [CallerMemberName] string testName = "")
    {
        HarnessResult result = GeneratorHarness.Run(source);

        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        Assert.Equal(
            [fullName + ".Backward.g.cs", fullName + ".Forward.g.cs", fullName + ".Network.g.cs"],
            result.GeneratedSources.Select(f => f.HintName));
        Snapshot.Match(result.GeneratedSources, testName);
    }
}
