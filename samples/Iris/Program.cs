using System;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Data;
using NetGen.Optimizers;
using Samples.Iris;

// Iris with the course's MLP shapes, on a stratified, seeded 80/20 split.
// Usage: dotnet run --project samples/Iris -c Release [-- --seed N --epochs N]
int seed = 42, epochs = 200; // 200 passes, as scikit-learn's max_iter default
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--epochs": epochs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}: expected --seed or --epochs."); return 2;
    }
}

// iris.csv's first line is metadata ("150,4,setosa,versicolor,virginica"); rows are 4 measurements and a label.
Dataset iris = CsvReader.ReadDataset(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"), new CsvOptions { SkipLines = 1, HasHeader = false });
(Dataset train, Dataset test) = iris.Split(0.2, seed, stratify: true);
Console.WriteLine($"Iris: {train.Count} training and {test.Count} test samples (stratified)");

Run("hidden (2,)", new Iris2(seed));
Run("hidden (2, 2)", new Iris2x2(seed));
Run("hidden (8,)", new Iris8(seed));
return 0;

void Run(string name, Network model)
{
    model.Adapt(train);
    model.Compile(new Adam(learningRate: 0.01f));
    var history = model.Fit(train, epochs: epochs, batchSize: 16, seed: seed, verbose: 0);
    var result = model.Evaluate(test);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-14} {model.Info.TrainableParameterCount,3} parameters: final loss {history.Loss[^1]:F4}, test accuracy: {result.Accuracy:F4}"));
}
