using System;
using System.Globalization;
using System.IO;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;
using Samples.Digits;

// The 8×8 handwritten digits (1797 images, pixel values 0–16) with the course's 64-32-16-10 network.
// Usage: dotnet run --project samples/Digits -c Release [-- --seed N]
int seed = args.Length == 2 && args[0] == "--seed" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 42;

Dataset digits = CsvReader.ReadDataset(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), new CsvOptions { HasHeader = false })
    .Scale(1f / 16f);
(Dataset train, Dataset test) = digits.Split(0.2, seed, stratify: true);
Console.WriteLine($"Digits: {train.Count} training and {test.Count} test images");
Console.WriteLine(DigitsNet.Summary);

// 1. As the course does it in PyTorch: 100 epochs, each one gradient step on the whole training set.
var fullBatch = new DigitsNet(seed);
fullBatch.Compile(new Adam(learningRate: 0.01f));
History history = fullBatch.Fit(train, epochs: 100, batchSize: train.Count, seed: seed, verbose: 0);
Report("full batch, 100 steps", fullBatch, history);

// 2. Minibatches of 32 with Adam's default rate: 45 steps per epoch, 50 epochs.
var minibatch = new DigitsNet(seed);
minibatch.Compile(new Adam());
history = minibatch.Fit(train, epochs: 50, batchSize: 32, seed: seed, verbose: 0);
Report("batch 32, 50 epochs", minibatch, history);
Console.WriteLine(ConfusionMatrix.Compute(minibatch, test));
return 0;

void Report(string name, NetGen.Network model, History h) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-22}: final loss {h.Loss[^1]:F4}, test accuracy: {model.Evaluate(test).Accuracy:F4}"));
