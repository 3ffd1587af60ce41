using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Plotting;
using NetGen.Training;
using Samples.FashionCnn;

// Keras's "simple MNIST convnet" on Fashion-MNIST: Adam, batch 32, the last 10% of the training images held out for
// validation, as the Keras example does.
// Usage: dotnet run --project samples/FashionCnn -c Release [-- --batch-norm --data DIR --epochs N --batch-size N
//        --learning-rate R --decay F --seed N --out DIR]
// --batch-norm trains the variant with a BatchNormalization after each convolution; --decay F multiplies the
// learning rate by F after every epoch (ExponentialDecay; 1 keeps Adam's rate constant, as Keras's example does).
// Data: --data DIR, else $NETGEN_DATA/fashion-mnist (never downloads), else ~/.netgen/datasets/fashion-mnist
// (downloaded on first use, checksum-verified).
string? dataDirectory = null, outputDirectory = "fashion-cnn-output";
int epochs = 15, batchSize = 32, seed = 42;
float learningRate = 0.001f, decay = 1f;
bool batchNorm = false;
for (int i = 0; i < args.Length; i++)
{
    string option = args[i];
    if (option == "--batch-norm")
    {
        batchNorm = true;
        continue;
    }

    string value = ++i < args.Length ? args[i] : throw new ArgumentException($"{option} needs a value.");
    switch (option)
    {
        case "--data": dataDirectory = value; break;
        case "--epochs": epochs = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--batch-size": batchSize = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--learning-rate": learningRate = float.Parse(value, CultureInfo.InvariantCulture); break;
        case "--decay": decay = float.Parse(value, CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--out": outputDirectory = value; break;
        default:
            Console.Error.WriteLine($"Unknown option {option}: expected --batch-norm, --data, --epochs, --batch-size, --learning-rate, --decay, --seed or --out.");
            return 2;
    }
}

var downloads = new DownloadOptions
{
    Progress = new Progress<DownloadProgress>(p =>
    {
        if (p.TotalBytes is long total && p.BytesReceived == total)
        {
            Console.WriteLine($"downloaded {p.FileName} ({total / 1024} KiB)");
        }
    }),
};
(Dataset train, Dataset test) = FashionMnist.Load(dataDirectory, downloads);
Console.WriteLine($"Fashion-MNIST: {train.Count} training and {test.Count} test images");
Directory.CreateDirectory(outputDirectory);

Network model = batchNorm ? new BatchNormConvnet(seed) : new SimpleConvnet(seed);
string name = batchNorm ? "batchnorm-convnet" : "convnet";
model.Compile(new Adam(learningRate));
Console.WriteLine();
Console.WriteLine(model.Info.Summary);
History history = model.Fit(train, epochs: epochs, batchSize: batchSize, seed: seed, validationSplit: 0.1, callbacks:
    decay == 1f ? [] : [new LearningRateScheduler(new ExponentialDecay(learningRate, decay))]);

double seconds = history.Epochs.Sum(e => e.Elapsed.TotalSeconds);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{history.Epochs.Count} epochs in {seconds:F1} s ({seconds / history.Epochs.Count:F2} s per epoch, validation included)"));
var timer = Stopwatch.StartNew();
Evaluation evaluation = model.Evaluate(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"test accuracy: {evaluation.Accuracy:F4} (loss {evaluation.Loss:F4}, {name}, {timer.ElapsedMilliseconds} ms for {test.Count} images)"));
Console.WriteLine(ConfusionMatrix.Compute(model, test).Format([.. FashionMnist.ClassNames]));
string curves = Path.Combine(outputDirectory, name + "-curves.svg");
history.SaveSvg(curves, $"Fashion-MNIST {name}: {history.Epochs.Count} epochs");
Console.WriteLine($"training curves: {curves}");
string weights = Path.Combine(outputDirectory, name + ".safetensors");
model.SaveWeights(weights);
Console.WriteLine($"weights: {weights}");
return 0;
