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
using Samples.FashionMnist;

// The course's two Fashion-MNIST experiments.
// Usage: dotnet run --project samples/FashionMnist -c Release [-- --data DIR --epochs N --batch-size N --seed N --out DIR]
// Data: --data DIR, else $NETGEN_DATA/fashion-mnist (never downloads), else ~/.netgen/datasets/fashion-mnist
// (downloaded on first use, checksum-verified).
string? dataDirectory = null, outputDirectory = "fashion-mnist-output";
int epochs = 20, batchSize = 32, seed = 42;
for (int i = 0; i < args.Length; i += 2)
{
    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--data": dataDirectory = value; break;
        case "--epochs": epochs = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--batch-size": batchSize = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--out": outputDirectory = value; break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}: expected --data, --epochs, --batch-size, --seed or --out."); return 2;
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
string[] classes = [.. FashionMnist.ClassNames];

// Experiment 1: multinomial logistic regression, 784 -> 10 softmax.
var softmax = new SoftmaxClassifier(seed);
softmax.Compile(new RmsProp());
Console.WriteLine();
Console.WriteLine(SoftmaxClassifier.Summary);
History softmaxHistory = softmax.Fit(train, epochs: epochs, batchSize: batchSize, seed: seed, validationSplit: 0.1);
Report("softmax", softmax, softmaxHistory);

// Experiment 2: 784 -> 100 ReLU -> Dropout(0.3) -> 10 softmax, RMSprop, early stopping, best-only checkpoint and
// the course's step decay (halve the learning rate every 5 epochs).
var mlp = new MlpClassifier(seed);
mlp.Compile(new RmsProp());
Console.WriteLine();
Console.WriteLine(MlpClassifier.Summary);
string checkpoint = Path.Combine(outputDirectory, "mlp-best.safetensors");
var stopping = new EarlyStopping("val_loss", patience: 2, restoreBestWeights: true);
History mlpHistory = mlp.Fit(train, epochs: epochs, batchSize: batchSize, seed: seed, validationSplit: 0.1, callbacks:
[
    stopping,
    new ModelCheckpoint(checkpoint, "val_loss", saveBestOnly: true),
    new LearningRateScheduler(new StepDecay(0.001f, factor: 0.5f, every: 5)),
]);
EpochLogs best = mlpHistory.Epochs[stopping.BestEpoch];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"best epoch {best.Epoch + 1}: val_loss {best.ValidationLoss:F4}, val_accuracy {best.ValidationAccuracy:F4} (weights restored; checkpoint {checkpoint})"));
Report("mlp", mlp, mlpHistory);
return 0;

void Report(string name, Network model, History history)
{
    var timer = Stopwatch.StartNew();
    Evaluation evaluation = model.Evaluate(test);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {evaluation.Accuracy:F4} (loss {evaluation.Loss:F4}, {name}, {timer.ElapsedMilliseconds} ms for 10000 images)"));
    Console.WriteLine(ConfusionMatrix.Compute(model, test).Format(classes));
    string curves = Path.Combine(outputDirectory, name + "-curves.svg");
    history.SaveSvg(curves, $"Fashion-MNIST {name}: {history.Epochs.Count} epochs");
    Console.WriteLine($"training curves: {curves}");
}
