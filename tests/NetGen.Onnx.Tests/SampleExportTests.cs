using System;
using System.IO;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Data;
using Samples.Digits;
using Samples.FashionMnist;
using Samples.Iris;
using Samples.Regression;
using Samples.Xor;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Every sample's architecture, trained briefly on its real data (and adapted where it normalizes), exported and run
/// in ONNX Runtime at batch size 1 and as one batch: outputs must match NetGen's within <see cref="OrtCheck.Tolerance"/>.
/// </summary>
public class SampleExportTests(ITestOutputHelper output)
{
    private static readonly string Sklearn = Path.Combine(AppContext.BaseDirectory, "data");

    [Fact]
    public void Xor_matches()
    {
        float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        var model = new XorNet(seed: 7);
        model.Compile(new Adam(0.01f));
        model.Fit(x, new float[] { 0, 1, 1, 0 }, epochs: 300, batchSize: 4, seed: 7, verbose: 0);
        // The four corners and points between them.
        float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1, 0.5f, 0.5f, 0.25f, 0.9f, -1, 2, 3, -0.5f];
        OrtCheck.AssertMatches(model, inputs, 8, output);
    }

    [Theory]
    [InlineData(typeof(Iris2))]
    [InlineData(typeof(Iris2x2))]
    [InlineData(typeof(Iris8))]
    [InlineData(typeof(EveryLayerNet))]
    public void Iris_models_match(Type modelType)
    {
        Dataset iris = CsvReader.ReadDataset(Path.Combine(Sklearn, "iris.csv"), new CsvOptions { SkipLines = 1, HasHeader = false });
        (Dataset train, Dataset test) = iris.Split(0.2, seed: 42, stratify: true);
        var model = (Network)Activator.CreateInstance(modelType, 42L)!;
        model.Adapt(train);
        model.Compile(new Adam(0.01f));
        model.Fit(train, epochs: 20, batchSize: 16, seed: 42, verbose: 0);
        OrtCheck.AssertMatches(model, test.Features, test.Count, output);
    }

    [Fact]
    public void Digits_matches()
    {
        Dataset digits = CsvReader.ReadDataset(Path.Combine(Sklearn, "digits.csv.gz"), new CsvOptions { HasHeader = false }).Scale(1f / 16f);
        (Dataset train, Dataset test) = digits.Split(0.2, seed: 42, stratify: true);
        var model = new DigitsNet(42);
        model.Compile(new Adam(0.01f));
        model.Fit(train, epochs: 3, batchSize: 32, seed: 42, verbose: 0);
        OrtCheck.AssertMatches(model, test.Features, test.Count, output);
    }

    [Fact]
    public void Regression_models_with_normalization_match()
    {
        (Dataset train, Dataset test) = RegressionData.Diabetes(Sklearn).Split(0.2, seed: 42);
        var diabetes = new DiabetesRegressor(42);
        diabetes.Adapt(train);
        diabetes.Compile(new Adam(0.01f));
        diabetes.Fit(train, epochs: 5, batchSize: 16, seed: 42, verbose: 0);
        OrtCheck.AssertMatches(diabetes, test.Features, test.Count, output);

        (train, test) = RegressionData.Boston(Sklearn).Split(0.2, seed: 42);
        var housing = new HousingRegressor(42);
        housing.Adapt(train);
        housing.Compile(new Adam(0.01f));
        housing.Fit(train, epochs: 5, batchSize: 16, seed: 42, verbose: 0);
        OrtCheck.AssertMatches(housing, test.Features, test.Count, output);
    }

    [Fact]
    public void Tanh_output_matches()
    {
        // Seeded weights on the raw diabetes features, scaled so that the tanh outputs spread over (-1, 1) rather than saturate.
        Dataset diabetes = RegressionData.Diabetes(Sklearn).Scale(0.01f);
        OrtCheck.AssertMatches(new TanhOutput(3), diabetes.Features, diabetes.Count, output);
    }

    [Fact]
    public void Fashion_mnist_softmax_and_mlp_match()
    {
        if (TestData.FashionMnistDirectory(output) is not string directory)
        {
            return;
        }

        (Dataset train, Dataset test) = FashionMnist.Load(directory);
        train = train.Take(6000);
        Network[] models = [new SoftmaxClassifier(42), new MlpClassifier(42)];
        foreach (Network model in models)
        {
            model.Compile(new Adam());
            model.Fit(train, epochs: 1, batchSize: 32, seed: 42, verbose: 0);
            OrtCheck.AssertMatches(model, test.Features, 1000, output);
        }
    }
}
