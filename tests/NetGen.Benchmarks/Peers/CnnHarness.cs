using System;
using System.Diagnostics;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// NetGen's side of the CNN rows: samples/FashionCnn's SimpleConvnet (Keras's simple MNIST convnet, the model
/// torch_cnn.py trains), timed as torch_cnn.py times its own: training epochs of 60 000 images in batches of 32 (Adam,
/// seed 42, shuffled), single-image Predict, and the 10 000 test images predicted in batches of 1000.
/// </summary>
internal static class CnnHarness
{
    private const int BatchSize = 32;

    /// <summary>Images per PredictBatch call in the throughput row, as torch_cnn.py and ONNX Runtime run them.</summary>
    private const int InferenceBatch = 1000;

    /// <summary>Timed epochs: torch_cnn.py's timing run trains 2.</summary>
    private const int Epochs = 2;

    public static CnnNetGenResult Measure(Dataset train, Dataset test, Action<string> log)
    {
        // A throwaway instance first, so the timed run sees settled JIT tiers (as NetGenHarness does for the MLP).
        log($"NetGen cnn: a warm-up epoch on 6000 images, then {Epochs} epochs of Fit, batch {BatchSize} (median)");
        var warm = new SimpleConvnet(seed: 7);
        warm.Compile(new Adam());
        warm.Fit(train.Take(6000), epochs: 1, batchSize: BatchSize, seed: 1, verbose: 0);

        var model = new SimpleConvnet(seed: 42);
        model.Compile(new Adam());
        NetGenHarness.Collect();
        History history = model.Fit(train, epochs: Epochs, batchSize: BatchSize, seed: 42, verbose: 0);
        double epoch = NetGenHarness.Median([.. history.Epochs.Select(e => e.Elapsed.TotalSeconds)]);
        log($"NetGen cnn: epochs {string.Join(", ", history.Epochs.Select(e => e.Elapsed.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} s; " +
            $"test accuracy {model.Evaluate(test).Accuracy:F4}");

        log("NetGen cnn inference: single images, then the test set in batches of 1000");
        (double single, _, _, _) = NetGenHarness.MeasureSinglePredict(model, test, calls: 5000);
        return new CnnNetGenResult(epoch, single, MeasureBatches(model, test));
    }

    /// <summary>Images per second over the test set in PredictBatch calls of <see cref="InferenceBatch"/>: median of 5 passes after a warm-up pass.</summary>
    private static double MeasureBatches(Network model, Dataset test)
    {
        int inSize = model.Info.InputSize, outSize = model.Info.OutputSize;
        var outputs = new float[InferenceBatch * outSize];
        void Pass()
        {
            for (int start = 0; start < test.Count; start += InferenceBatch)
            {
                int rows = Math.Min(InferenceBatch, test.Count - start);
                model.PredictBatch(test.Features.Slice(start * inSize, rows * inSize), outputs.AsSpan(0, rows * outSize));
            }
        }

        Pass();
        var rates = new double[5];
        for (int r = 0; r < rates.Length; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Pass();
            rates[r] = test.Count / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        return NetGenHarness.Median(rates);
    }
}
