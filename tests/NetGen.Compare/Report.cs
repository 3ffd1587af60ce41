using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Compare;

/// <summary>Prints the side-by-side tables.</summary>
internal static class Report
{
    /// <summary>The largest mean R² difference the issue accepts between NetGen and PyTorch on the same splits.</summary>
    public const double R2Tolerance = 0.02;

    public static void Classification(RunSpec run, int trainCount, IReadOnlyList<int> seeds,
        IReadOnlyDictionary<(string, int), RunResult> netgen, IReadOnlyDictionary<(string, int), RunResult> peer)
    {
        Console.WriteLine($"{run.Data.Title}, {run.Label}: {run.Describe(trainCount)}");
        var table = new Table("seed", "NetGen acc", "sklearn acc", "diff", "NetGen s", "sklearn s", "sklearn epochs", "NetGen loss", "sklearn loss");
        AddRows(table, run, seeds, netgen, peer, (n, p) =>
            [p.EpochsRun?.ToString(CultureInfo.InvariantCulture) ?? "-", Fixed(n.FinalLoss, "F4"), Fixed(p.FinalLoss, "F4")]);
        double[] epochs = [.. seeds.Select(s => (double)(peer[(run.Id, s)].EpochsRun ?? 0))];
        AddSummary(table, run, seeds, netgen, peer, [MeanSd(epochs, "F0")]);
        table.Print();
        Console.WriteLine("  loss: the last epoch's mean training loss (scikit-learn's includes its L2 penalty).");
        Console.WriteLine();
    }

    /// <summary>Prints the regression table and returns whether the mean R² difference is within the tolerance.</summary>
    public static bool Regression(RunSpec run, int trainCount, IReadOnlyList<int> seeds,
        IReadOnlyDictionary<(string, int), RunResult> netgen, IReadOnlyDictionary<(string, int), RunResult> peer)
    {
        Console.WriteLine($"{run.Data.Title}, {run.Label}: {run.Describe(trainCount)}, MSE; test R²");
        var table = new Table("seed", "NetGen R²", "PyTorch R²", "diff", "NetGen s", "PyTorch s", "|diff|≤0.02", "NetGen val_loss", "PyTorch val_loss");
        AddRows(table, run, seeds, netgen, peer, (n, p) =>
            [Math.Abs(n.Metric - p.Metric) <= R2Tolerance ? "yes" : "no", Fixed(n.FinalValidationLoss, "F1"), Fixed(p.FinalValidationLoss, "F1")]);
        int within = seeds.Count(s => Math.Abs(netgen[(run.Id, s)].Metric - peer[(run.Id, s)].Metric) <= R2Tolerance);
        AddSummary(table, run, seeds, netgen, peer,
        [
            $"{within}/{seeds.Count}",
            MeanSd([.. seeds.Select(s => netgen[(run.Id, s)].FinalValidationLoss ?? double.NaN)], "F1"),
            MeanSd([.. seeds.Select(s => peer[(run.Id, s)].FinalValidationLoss ?? double.NaN)], "F1"),
        ]);
        table.Print();
        double[] differences = [.. seeds.Select(s => netgen[(run.Id, s)].Metric - peer[(run.Id, s)].Metric)];
        double difference = differences.Average();
        double standardError = seeds.Count > 1
            ? Math.Sqrt(differences.Sum(d => (d - difference) * (d - difference)) / (seeds.Count - 1) / seeds.Count) : double.NaN;
        bool ok = Math.Abs(difference) <= R2Tolerance;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"=> mean R² NetGen − PyTorch = {difference:+0.0000;-0.0000} ({(seeds.Count > 1 ? $"standard error {standardError:F4} over {seeds.Count} seeds" : "one seed")}): " +
            $"{(ok ? "WITHIN" : "NOT within")} {R2Tolerance}; {within} of {seeds.Count} seeds within {R2Tolerance} individually"));
        Console.WriteLine();
        return ok;
    }

    private static void AddRows(Table table, RunSpec run, IReadOnlyList<int> seeds,
        IReadOnlyDictionary<(string, int), RunResult> netgen, IReadOnlyDictionary<(string, int), RunResult> peer,
        Func<RunResult, RunResult, string[]> extra)
    {
        foreach (int seed in seeds)
        {
            RunResult n = netgen[(run.Id, seed)], p = peer[(run.Id, seed)];
            table.Add([seed.ToString(CultureInfo.InvariantCulture), F(n.Metric, "F4"), F(p.Metric, "F4"), Signed(n.Metric - p.Metric),
                F(n.Seconds, "F3"), F(p.Seconds, "F3"), .. extra(n, p)]);
        }
    }

    private static void AddSummary(Table table, RunSpec run, IReadOnlyList<int> seeds,
        IReadOnlyDictionary<(string, int), RunResult> netgen, IReadOnlyDictionary<(string, int), RunResult> peer, string[] extra)
    {
        double[] n = [.. seeds.Select(s => netgen[(run.Id, s)].Metric)], p = [.. seeds.Select(s => peer[(run.Id, s)].Metric)];
        double[] nt = [.. seeds.Select(s => netgen[(run.Id, s)].Seconds)], pt = [.. seeds.Select(s => peer[(run.Id, s)].Seconds)];
        table.Add(["mean±sd", MeanSd(n, "F4"), MeanSd(p, "F4"), Signed(n.Average() - p.Average()), MeanSd(nt, "F3"), MeanSd(pt, "F3"), .. extra]);
    }

    public static string MeanSd(double[] values, string format)
    {
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return $"{F(mean, format)}±{F(sd, format)}";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Fixed(double? value, string format) => value is double v ? F(v, format) : "-";

    private static string Signed(double value) => value.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>A plain-text table with right-aligned columns.</summary>
    private sealed class Table(params string[] header)
    {
        private readonly List<string[]> _rows = [header];

        public void Add(string[] row) => _rows.Add(row);

        public void Print()
        {
            int columns = _rows.Max(r => r.Length);
            int[] width = [.. Enumerable.Range(0, columns).Select(c => _rows.Max(r => c < r.Length ? r[c].Length : 0))];
            foreach (string[] row in _rows)
            {
                var line = new StringBuilder("  ");
                for (int c = 0; c < row.Length; c++)
                {
                    line.Append(c == 0 ? row[c].PadRight(width[c]) : "  " + row[c].PadLeft(width[c]));
                }

                Console.WriteLine(line.ToString().TrimEnd());
            }
        }
    }
}
