using System;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;
using Samples.Regression;

// The course's regression network: a Normalization layer adapted to the training data, Dense 64 ReLU → 32 ReLU → 1,
// MSE, Adam(0.01), validation split 0.2, batch 16, 100 epochs; R² on a held-out 20% test set.
// Usage: dotnet run --project samples/Regression -c Release [-- --data diabetes|boston --seed N]
string dataName = "diabetes";
int seed = 42;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": dataName = args[i + 1]; break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}: expected --data or --seed."); return 2;
    }
}

string folder = Path.Combine(AppContext.BaseDirectory, "data");
(Dataset data, Network model) = dataName switch
{
    "diabetes" => (RegressionData.Diabetes(folder), (Network)new DiabetesRegressor(seed)),
    "boston" => (RegressionData.Boston(folder), new HousingRegressor(seed)),
    _ => throw new ArgumentException($"--data must be diabetes or boston, received '{dataName}'."),
};
(Dataset train, Dataset test) = data.Split(0.2, seed);
Console.WriteLine($"{dataName}: {train.Count} training and {test.Count} test samples, {data.FeatureSize} features");
Console.WriteLine(model.Info.Summary);

model.Adapt(train);
model.Compile(new Adam(learningRate: 0.01f));
History history = model.Fit(train, epochs: 100, batchSize: 16, seed: seed, verbose: 0, validationSplit: 0.2);
Evaluation result = model.Evaluate(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"final epoch: loss {history.Loss[^1]:F2}, val_loss {history.ValidationLoss[^1]:F2}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"test: MSE {result.Loss:F2}, MAE {result.MeanAbsoluteError:F2}, R² {result.R2:F4}"));
return 0;
