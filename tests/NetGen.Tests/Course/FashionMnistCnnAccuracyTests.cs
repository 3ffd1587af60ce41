using System.Diagnostics;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Tests.Data;
using NetGen.Tests.Models;
using NetGen.Training;
using Xunit.Abstractions;

namespace NetGen.Tests.Course;

/// <summary>
/// Keras's "simple MNIST convnet" on the real Fashion-MNIST (60,000 training and 10,000 test images), with the issue's
/// settings (Adam, batch 32) on a run short enough for CI.
/// </summary>
public class FashionMnistCnnAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void Keras_convnet_reaches_at_least_090_on_the_test_set()
    {
        if (TestData.FashionMnistDirectory(output) is not string directory)
        {
            return;
        }

        (Dataset train, Dataset test) = FashionMnist.Load(directory);
        var model = new KerasConvnet(seed: 42);
        model.Compile(new Adam());

        // Six epochs: 0.906 after five in a trial run (0.865, 0.881, 0.889, 0.898, 0.906), so a margin for other seeds
        // and tiers; 0.909 after six. About 20 s an epoch on 2 shared cores, 2 minutes in all.
        var clock = Stopwatch.StartNew();
        History history = model.Fit(train, epochs: 6, batchSize: 32, seed: 42, verbose: 0);
        double seconds = clock.Elapsed.TotalSeconds;
        float accuracy = model.Evaluate(test).Accuracy!.Value;
        output.WriteLine($"Keras convnet: {history.Epochs.Count} epochs in {seconds:F1} s ({seconds / history.Epochs.Count:F1} s each), test accuracy {accuracy:F4}");
        Assert.True(accuracy >= 0.90f, $"test accuracy {accuracy:F4} < 0.90");
    }
}
