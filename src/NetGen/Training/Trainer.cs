using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>The one training loop: shuffle, batch, forward, loss, backward, optimizer step, metrics; callbacks after each epoch.</summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static History Fit(Network model, Dataset data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DataChecks.Validate(model.Info, data);

        int seed = options.Seed ?? Random.Shared.Next();
        var rng = new Rng(seed);
        model.TrainingRng = new Rng(~(long)seed);
        model.StopTraining = false;

        int n = data.Count, batchSize = Math.Min(options.BatchSize, n);
        int inSize = data.FeatureSize, tSize = data.TargetSize;
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // Allocated once per Fit: the steps themselves allocate nothing.
        var x = new float[batchSize * inSize];
        var y = new float[batchSize * tSize];
        bool hasAccuracy = Metrics.HasAccuracy(model.Info.Loss);
        var history = new History();
        TextWriter output = Console.Out;

        foreach (Callback c in options.Callbacks)
        {
            c.OnTrainBegin(model);
        }

        for (int epoch = 0; epoch < options.Epochs && !model.StopTraining; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            if (options.Shuffle)
            {
                rng.Shuffle(order);
            }

            double lossSum = 0;
            long correct = 0, judged = 0;
            for (int first = 0; first < n; first += batchSize)
            {
                int b = Math.Min(batchSize, n - first);
                for (int r = 0; r < b; r++)
                {
                    data.FeaturesOf(order[first + r]).CopyTo(x.AsSpan(r * inSize, inSize));
                    data.TargetsOf(order[first + r]).CopyTo(y.AsSpan(r * tSize, tSize));
                }

                ReadOnlySpan<float> xb = x.AsSpan(0, b * inSize), yb = y.AsSpan(0, b * tSize);
                ReadOnlySpan<float> outputs = model.Forward(xb, b, training: true);
                if (hasAccuracy)
                {
                    (int ok, int total) = Metrics.Accuracy(model.Info.Loss, outputs, yb, b);
                    correct += ok;
                    judged += total;
                }

                float loss = model.Backward(xb, yb, b);
                if (!float.IsFinite(loss))
                {
                    // Checked before the step, so the parameters still hold the last good values.
                    throw new TrainingDivergedException(epoch, first / batchSize, loss);
                }

                model.Optimizer.Step(model.Parameters, model.Gradients);
                lossSum += (double)loss * b;
            }

            var logs = new EpochLogs(epoch, (float)(lossSum / n), hasAccuracy ? (float)correct / judged : null, Stopwatch.GetElapsedTime(start));
            history.Add(logs);
            if (options.Verbose > 0)
            {
                output.WriteLine(Format(logs, options.Epochs));
            }

            foreach (Callback c in options.Callbacks)
            {
                c.OnEpochEnd(model, logs);
            }
        }

        foreach (Callback c in options.Callbacks)
        {
            c.OnTrainEnd(model, history);
        }

        return history;
    }

    /// <summary>Mean loss and accuracy of <paramref name="model"/> over <paramref name="data"/>, in inference mode.</summary>
    public static Evaluation Evaluate(Network model, Dataset data, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        DataChecks.Validate(model.Info, data);
        bool hasAccuracy = Metrics.HasAccuracy(model.Info.Loss);
        double lossSum = 0;
        long correct = 0, judged = 0;
        int inSize = data.FeatureSize, tSize = data.TargetSize;
        for (int first = 0; first < data.Count; first += batchSize)
        {
            int b = Math.Min(batchSize, data.Count - first);
            ReadOnlySpan<float> yb = data.Targets.Slice(first * tSize, b * tSize);
            ReadOnlySpan<float> outputs = model.Forward(data.Features.Slice(first * inSize, b * inSize), b, training: false);
            if (hasAccuracy)
            {
                (int ok, int total) = Metrics.Accuracy(model.Info.Loss, outputs, yb, b);
                correct += ok;
                judged += total;
            }

            lossSum += (double)model.ComputeLoss(yb, b) * b;
        }

        return new Evaluation((float)(lossSum / data.Count), hasAccuracy ? (float)correct / judged : null);
    }

    private static string Format(EpochLogs logs, int epochs)
    {
        var inv = CultureInfo.InvariantCulture;
        string line = string.Create(inv, $"Epoch {logs.Epoch + 1}/{epochs} - {logs.Elapsed.TotalMilliseconds:F0}ms - loss: {logs.Loss:F4}");
        return logs.Accuracy is float acc ? line + string.Create(inv, $" - accuracy: {acc:F4}") : line;
    }
}
