using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NetGen;
using NetGen.Compare;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;
using Samples.Digits;
using Samples.Iris;
using Samples.Regression;

// NetGen side by side with scikit-learn's MLPClassifier (Iris, digits) and the same network in PyTorch (regression),
// on the same splits: each seed's split is made here with Dataset.SplitIndices, written to a folder as row indices,
// and replayed by tests/peers/sklearn_compare.py and tests/peers/torch_regression.py. See tests/peers/README.md.
//
// Usage: dotnet run --project tests/NetGen.Compare -c Release [-- options]
//   --seeds 42,43,44         the seeds for every run (each seeds the split, the initial weights and the shuffling);
//                            default 42-46 for classification and 42-61 for regression, whose per-seed spread
//                            (R² sd 0.04-0.10) needs more seeds to measure a 0.02 difference of means
//   --data iris,digits,diabetes,boston   which data sets
//   --python /usr/bin/python3   the interpreter with python3-sklearn and python3-torch
//   --split-dir DIR          write the splits there and keep them (default: a temporary folder, deleted)
//   --replay                 diagnostic: PyTorch starts from NetGen's initial weights and takes NetGen's batch order
//                            (same arithmetic, same trajectory up to float rounding) instead of its own seeded ones
int[]? seeds = null;
int[] classificationSeeds = [.. Enumerable.Range(42, 5)], regressionSeeds = [.. Enumerable.Range(42, 20)];
string python = "/usr/bin/python3";
string? keptSplitDirectory = null;
string[] chosen = ["iris", "digits", "diabetes", "boston"];
bool replay = false;
for (int i = 0; i < args.Length; i += 2)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--replay": replay = true; i--; break;
        case "--seeds" when value is not null: seeds = [.. value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
        case "--data" when value is not null: chosen = value.Split(','); break;
        case "--python" when value is not null: python = value; break;
        case "--split-dir" when value is not null: keptSplitDirectory = Path.GetFullPath(value); break;
        default:
            Console.Error.WriteLine($"Unknown option or missing value: {args[i]}. Options: --seeds 42,43 --data iris,digits,diabetes,boston --python PATH --split-dir DIR --replay");
            return 1;
    }
}

string root = FindRepositoryRoot();
string dataFolder = Path.Combine(root, "samples", "data", "sklearn");

string? missing = Peers.CheckPrerequisites(python);
if (missing is not null)
{
    Console.Error.WriteLine($"The Python peers need numpy, scikit-learn and PyTorch for {python}:");
    Console.Error.WriteLine("  " + missing.Split('\n')[^1]);
    Console.Error.WriteLine($"Install them with:  {Peers.InstallHint}");
    Console.Error.WriteLine("(Debian/Ubuntu packages for the system interpreter /usr/bin/python3; or pass --python PATH to an interpreter that has them.)");
    return 2;
}

// The data sets, loaded exactly as the samples load them.
var iris = new DataSpec("iris", "Iris",
    CsvReader.ReadDataset(Path.Combine(dataFolder, "iris.csv"), new CsvOptions { SkipLines = 1, HasHeader = false }), Stratify: true);
var digits = new DataSpec("digits", "Digits",
    CsvReader.ReadDataset(Path.Combine(dataFolder, "digits.csv.gz"), new CsvOptions { HasHeader = false }).Scale(1f / 16f), Stratify: true, FeatureScale: 1f / 16f);
var diabetes = new DataSpec("diabetes", "Diabetes", RegressionData.Diabetes(dataFolder), Stratify: false);
var boston = new DataSpec("boston", "Boston housing", RegressionData.Boston(dataFolder), Stratify: false);

// The samples' networks and settings (samples/Iris, samples/Digits, samples/Regression).
RunSpec[] allRuns =
[
    new("iris (2,)", iris, "hidden (2,)", seed => new Iris2(seed), 0.01f, 16, 200),
    new("iris (2,2)", iris, "hidden (2, 2)", seed => new Iris2x2(seed), 0.01f, 16, 200),
    new("iris (8,)", iris, "hidden (8,)", seed => new Iris8(seed), 0.01f, 16, 200),
    new("digits batch 32", digits, "batch 32, 50 epochs", seed => new DigitsNet(seed), 0.001f, 32, 50),
    new("digits full batch", digits, "full batch, 100 steps", seed => new DigitsNet(seed), 0.01f, 0, 100),
    new("diabetes", diabetes, "course network", seed => new DiabetesRegressor(seed), 0.01f, 16, 100, ValidationSplit: 0.2),
    new("boston", boston, "course network", seed => new HousingRegressor(seed), 0.01f, 16, 100, ValidationSplit: 0.2),
];
RunSpec[] runs = [.. allRuns.Where(r => chosen.Contains(r.Data.Name))];
if (runs.Length == 0)
{
    Console.Error.WriteLine($"--data chose nothing: expected some of iris, digits, diabetes, boston.");
    return 1;
}

DataSpec[] dataSets = [.. runs.Select(r => r.Data).Distinct()];
int[] SeedsOf(RunSpec run) => seeds ?? (run.IsRegression ? regressionSeeds : classificationSeeds);

// Each seed's split, made once and written as "row index,target" lines in NetGen's order.
string splitDirectory = keptSplitDirectory ?? Path.Combine(Path.GetTempPath(), "netgen-compare-" + Guid.NewGuid().ToString("N")[..12]);
var splits = new Dictionary<(string Data, int Seed), (Dataset Train, Dataset Test)>();
foreach (DataSpec data in dataSets)
{
    Directory.CreateDirectory(Path.Combine(splitDirectory, data.Name));
    foreach (int seed in runs.Where(r => r.Data == data).SelectMany(SeedsOf).Distinct())
    {
        (int[] train, int[] test) = data.Data.SplitIndices(DataSpec.TestFraction, seed, data.Stratify);
        WriteSplit(Path.Combine(splitDirectory, data.Name, $"seed{seed}.train.csv"), data.Data, train);
        WriteSplit(Path.Combine(splitDirectory, data.Name, $"seed{seed}.test.csv"), data.Data, test);
        splits[(data.Name, seed)] = (data.Data.Subset(train), data.Data.Subset(test));
    }
}

WriteManifest(Path.Combine(splitDirectory, "manifest.json"));
if (replay)
{
    foreach (RunSpec run in runs.Where(r => r.IsRegression))
    {
        foreach (int seed in SeedsOf(run))
        {
            WriteReplay(Path.Combine(splitDirectory, run.Data.Name, $"seed{seed}.replay.json"), run, seed, splits[(run.Data.Name, seed)].Train.Count);
        }
    }
}

string peerNames = string.Join(" and ", new[] { runs.Any(r => !r.IsRegression) ? "scikit-learn" : null, runs.Any(r => r.IsRegression) ? "PyTorch" : null }.OfType<string>());
Console.WriteLine($"NetGen vs {peerNames} on the same splits; seeds: " +
    string.Join("; ", runs.GroupBy(r => r.IsRegression).Select(g => $"{(g.Key ? "regression" : "classification")} {SeedRange(SeedsOf(g.First()))}")));
Console.WriteLine($"Machine: {CpuName()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
Console.WriteLine($"Splits: {splitDirectory}{(keptSplitDirectory is null ? " (temporary)" : "")}");
Console.WriteLine();

// NetGen: every run on every seed's split, timing Fit alone (Adapt and Evaluate are outside the stopwatch). Untimed
// fits on the first seed come first, at least two and at least a second of them, so the tiered JIT has finished
// optimizing the training loop (its background compiles lag when the machine is busy); the peers run one untimed fit.
var netgen = new Dictionary<(string, int), RunResult>();
foreach (RunSpec run in runs)
{
    double warmup = 0;
    for (int fits = 0; fits < 2 || (warmup < 1.0 && fits < 50); fits++)
    {
        warmup += Train(run, SeedsOf(run)[0]).Seconds;
    }

    foreach (int seed in SeedsOf(run))
    {
        RunResult result = Train(run, seed);
        netgen[(run.Id, seed)] = result;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[netgen] {run.Id} seed {seed}: {(run.IsRegression ? "R2" : "accuracy")} {result.Metric:F4}, {result.Seconds:F3} s"));
    }
}

int status = 0;
PeerReport? sklearn = null, torch = null;
try
{
    if (runs.Any(r => !r.IsRegression))
    {
        sklearn = Peers.Run(python, Path.Combine(root, "tests", "peers", "sklearn_compare.py"), splitDirectory, root);
    }

    if (runs.Any(r => r.IsRegression))
    {
        torch = Peers.Run(python, Path.Combine(root, "tests", "peers", "torch_regression.py"), splitDirectory, root);
    }
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    status = 1;
}

Console.WriteLine();
if (sklearn is not null)
{
    Console.WriteLine($"scikit-learn: {sklearn.Environment}");
}

if (torch is not null)
{
    Console.WriteLine($"PyTorch: {torch.Environment}");
    if (replay)
    {
        Console.WriteLine("PyTorch REPLAYS NetGen's initial weights and per-epoch batch order (--replay): a check of the arithmetic, not an independent run.");
    }
}

Console.WriteLine("NetGen: one thread; times are seconds of Fit (NetGen), fit() (scikit-learn) or the epoch loop (PyTorch) alone.");
Console.WriteLine();
foreach (RunSpec run in runs)
{
    int trainCount = splits[(run.Data.Name, SeedsOf(run)[0])].Train.Count;
    PeerReport? peer = run.IsRegression ? torch : sklearn;
    if (peer is null)
    {
        continue;
    }

    if (run.IsRegression)
    {
        Report.Regression(run, trainCount, SeedsOf(run), netgen, peer.Results);
    }
    else
    {
        Report.Classification(run, trainCount, SeedsOf(run), netgen, peer.Results);
    }
}

if (keptSplitDirectory is null)
{
    Directory.Delete(splitDirectory, recursive: true);
}

return status;

RunResult Train(RunSpec run, int seed)
{
    (Dataset train, Dataset test) = splits[(run.Data.Name, seed)];
    Network model = run.Create(seed);
    if (run.Standardize)
    {
        model.Adapt(train);
    }

    model.Compile(new Adam(learningRate: run.LearningRate));
    long start = Stopwatch.GetTimestamp();
    History history = model.Fit(train, epochs: run.Epochs, batchSize: run.FullBatch ? train.Count : run.BatchSize, seed: seed, verbose: 0,
        validationSplit: run.ValidationSplit);
    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    Evaluation result = model.Evaluate(test);
    double metric = run.IsRegression ? result.R2!.Value : result.Accuracy!.Value;
    return new RunResult(metric, seconds, history.Epochs.Count, history.Loss[^1], run.ValidationSplit > 0 ? history.ValidationLoss[^1] : null);
}

void WriteManifest(string path)
{
    var manifest = new Dictionary<string, object>
    {
        ["data_dir"] = dataFolder,
        ["test_fraction"] = DataSpec.TestFraction,
        ["replay"] = replay,
        ["runs"] = runs.Select(r => new Dictionary<string, object>
        {
            ["id"] = r.Id,
            ["dataset"] = r.Data.Name,
            ["kind"] = r.IsRegression ? "regression" : "classification",
            ["seeds"] = SeedsOf(r),
            ["hidden"] = r.Hidden,
            ["outputs"] = r.Info.OutputSize,
            ["standardize"] = r.Standardize,
            ["feature_scale"] = r.Data.FeatureScale,
            ["learning_rate"] = r.LearningRate,
            ["batch_size"] = r.BatchSize,
            ["full_batch"] = r.FullBatch,
            ["epochs"] = r.Epochs,
            ["validation_split"] = r.ValidationSplit,
        }).ToList(),
    };
    File.WriteAllText(path, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
}

// NetGen's initial Dense weights for this seed (kernels [inputs, units], row-major) and the order Fit visits the
// training rows in each epoch: Trainer.Fit shuffles one index array over the rows before the validation split with
// new Rng(seed), once per epoch, in place.
static void WriteReplay(string path, RunSpec run, int seed, int trainCount)
{
    Network model = run.Create(seed);
    int fitRows = run.ValidationSplit > 0 ? (int)Math.Floor(trainCount * (1.0 - run.ValidationSplit)) : trainCount;
    using FileStream file = File.Create(path);
    using var json = new Utf8JsonWriter(file);
    json.WriteStartObject();
    json.WriteStartArray("layers");
    foreach (LayerInfo layer in model.Info.Layers.Where(l => l.Kind == LayerKind.Dense))
    {
        json.WriteStartObject();
        json.WriteString("name", layer.Name);
        json.WriteNumber("inputs", layer.InputSize);
        json.WriteNumber("units", layer.OutputSize);
        foreach (string tensor in new[] { "kernel", "bias" })
        {
            json.WriteStartArray(tensor);
            foreach (float w in model.Tensor(layer.Name + "." + tensor))
            {
                json.WriteNumberValue(w);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    json.WriteEndArray();
    json.WriteNumber("fit_rows", fitRows);
    json.WriteStartArray("orders");
    var rng = new Rng(seed);
    int[] order = [.. Enumerable.Range(0, fitRows)];
    for (int epoch = 0; epoch < run.Epochs; epoch++)
    {
        rng.Shuffle(order);
        json.WriteStartArray();
        foreach (int i in order)
        {
            json.WriteNumberValue(i);
        }

        json.WriteEndArray();
    }

    json.WriteEndArray();
    json.WriteEndObject();
}

static string SeedRange(int[] s) =>
    s.Length > 2 && s.Zip(s.Skip(1)).All(p => p.Second == p.First + 1) ? $"{s[0]}-{s[^1]} ({s.Length})" : string.Join(",", s);

static void WriteSplit(string path, Dataset data, int[] indices)
{
    var text = new StringBuilder();
    foreach (int i in indices)
    {
        text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(data.TargetsOf(i)[0].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    File.WriteAllText(path, text.ToString());
}

static string FindRepositoryRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new DirectoryNotFoundException("NetGen.sln not found above the current directory or the program: run from inside the repository.");
}

static string CpuName()
{
    try
    {
        string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
    catch (IOException)
    {
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
