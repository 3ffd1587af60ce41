using System;
using System.Globalization;
using NetGen.Optimizers;
using NetGen.Training;
using Samples.Xor;

// Usage: dotnet run --project samples/Xor -c Release [-- --seed N --epochs N --lr X]
int seed = 7, epochs = 5000;
float learningRate = 0.01f;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--epochs": epochs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--lr": learningRate = float.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}; expected --seed, --epochs or --lr."); return 2;
    }
}

float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
float[] y = [0, 1, 1, 0];

var model = new XorNet(seed);
model.Compile(new Adam(learningRate));
Console.WriteLine(XorNet.Summary);

var progress = new LambdaCallback((_, logs) =>
{
    if ((logs.Epoch + 1) % 500 == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {logs.Epoch + 1,5}: loss {logs.Loss:F4}, accuracy {logs.Accuracy:P0}"));
    }
});
model.Fit(x, y, epochs: epochs, batchSize: 4, seed: seed, verbose: 0, callbacks: [progress]);

var result = model.Evaluate(x, y);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {result.Accuracy * 100:F2}%"));
for (int i = 0; i < 4; i++)
{
    float p = model.Predict([x[i, 0], x[i, 1]])[0];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{x[i, 0]} XOR {x[i, 1]} = {p:F3} -> {(p > 0.5f ? 1 : 0)} (expected {y[i]})"));
}

return 0;
