using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NetGen.Data;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The "peers" command: NetGen, then PyTorch and scikit-learn (../shared/peers), then the peak-FLOP probe, one after
/// the other on the same Fashion-MNIST files, and one table of times and ratios against the project's targets.
/// </summary>
internal static class PeerComparison
{
    private const string Usage =
        """
        Usage: dotnet run --project tests/NetGen.Benchmarks -c Release -- peers [options]
          --epochs N       epochs each classifier trains, NetGen and peers alike (default 3; NetGen runs at least 5 and
                           times the median epoch after the first)
          --xor-runs N     XOR trainings of 5000 epochs, NetGen and torch alike (default 5)
          --python PATH    interpreter with python3-torch and python3-sklearn (default /usr/bin/python3)
          --peers DIR      the peer scripts (default ../shared/peers beside the repository)
          --blas skx|ref   peers on OpenBLAS with AVX-512 kernels (default when libopenblas0-pthread is installed) or on
                           the reference BLAS python3-torch comes with
          --no-peers       NetGen only (no ONNX Runtime, no Python peers)
          --no-python      skip the Python peers (PyTorch, scikit-learn) but keep ONNX Runtime
          --no-ort         skip ONNX Runtime (NetGen's exported MLP in ORT, in this process)
          --no-cnn         skip the convolutional network's rows (torch_cnn.py, ONNX Runtime on torch's export)
          --no-peak        skip peak_fma.c (the fraction of peak then uses RESULTS.md's 226.9 GFLOP/s)
          --out DIR        where the table and raw JSON are saved (default artifacts/performance)
        """;

    public static int Run(string[] args)
    {
        int epochs = 3, xorRuns = 5;
        string python = "/usr/bin/python3";
        string? root = BenchmarkData.RepositoryRoot();
        string peersDirectory = Path.GetFullPath(Path.Combine(root ?? ".", "..", "shared", "peers"));
        string output = Path.Combine(root ?? ".", "artifacts", "performance");
        PeerBlas? blas = null;
        bool runPeers = true, runPeak = true, runOrt = true, runCnn = true;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--epochs" when value is not null: epochs = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--xor-runs" when value is not null: xorRuns = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--python" when value is not null: python = value; i++; break;
                case "--peers" when value is not null: peersDirectory = Path.GetFullPath(value); i++; break;
                case "--out" when value is not null: output = Path.GetFullPath(value); i++; break;
                case "--blas" when value is "skx" or "ref": blas = value == "skx" ? PeerBlas.OpenBlasSkylakeX : PeerBlas.Reference; i++; break;
                case "--no-peers": runPeers = false; runOrt = false; break;
                case "--no-python": runPeers = false; break;
                case "--no-ort": runOrt = false; break;
                case "--no-cnn": runCnn = false; break;
                case "--no-peak": runPeak = false; break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default:
                    Console.Error.WriteLine($"Unknown option or missing value: {args[i]}");
                    Console.Error.WriteLine(Usage);
                    return 1;
            }
        }

        if (epochs < 1 || xorRuns < 1)
        {
            Console.Error.WriteLine("--epochs and --xor-runs must be at least 1.");
            return 1;
        }

        var notes = new List<string>();
        if (runPeers)
        {
            string? missing = PeerRunner.CheckPython(python);
            if (missing is not null)
            {
                Console.Error.WriteLine($"{python} cannot import the peers' modules ({missing}). Install them with");
                Console.Error.WriteLine("  apt-get install -y python3-torch python3-sklearn   (Debian's /usr/bin/python3), or pass --python PATH.");
                return 2;
            }

            if (!File.Exists(Path.Combine(peersDirectory, "torch_peer.py")))
            {
                Console.Error.WriteLine($"No peer scripts in {peersDirectory}: pass --peers DIR (the folder with torch_peer.py).");
                return 2;
            }

            if (blas is null)
            {
                blas = PeerRunner.OpenBlasInstalled() ? PeerBlas.OpenBlasSkylakeX : PeerBlas.Reference;
                if (blas == PeerBlas.Reference)
                {
                    notes.Add($"OpenBLAS is not installed ({PeerRunner.OpenBlasDirectory} is missing), so the peers ran on the reference BLAS, " +
                        "about 5x slower than their best (RESULTS.md §2): install it with `apt-get install -y libopenblas0-pthread` " +
                        "(as root; compare-peers.sh does it) for the figures the targets refer to.");
                }
            }
            else if (blas == PeerBlas.OpenBlasSkylakeX && !PeerRunner.OpenBlasInstalled())
            {
                Console.Error.WriteLine($"--blas skx needs libopenblas0-pthread ({PeerRunner.OpenBlasDirectory}): apt-get install -y libopenblas0-pthread");
                return 2;
            }
        }

        string dataDirectory = BenchmarkData.FashionMnistDirectory();
        var started = DateTimeOffset.Now;
        string loadAtStart = LoadAverage();
        StallReading stallsAtStart = StallProbe.Measure(Environment.ProcessorCount, 1.0);
        Log($"data: {dataDirectory}");
        Log($"time the machine takes from running threads: {stallsAtStart}");
        Dataset train = BenchmarkData.Train, test = BenchmarkData.Test;

        // 1. NetGen, alone on the machine as far as this program is concerned.
        var timer = Stopwatch.StartNew();
        NetGenResult netgen = NetGenHarness.Measure(train, test, Math.Max(epochs, 5), xorRuns, Log, out Network mlp);
        Log($"NetGen done in {timer.Elapsed.TotalSeconds:F0} s");
        string loadAfterNetGen = LoadAverage();

        // ONNX Runtime on NetGen's own export of the MLP just timed, in this process, right after NetGen.
        OrtResult? ort = runOrt ? OrtHarness.Measure(mlp, test, Log) : null;

        // 2. The peak-FLOP probe and the peers, strictly one after another (never in parallel with anything of ours).
        var peers = new Dictionary<string, JsonElement?>();
        JsonElement? peak = null;
        if (runPeak)
        {
            peak = new PeerRunner(python, peersDirectory, dataDirectory, PeerBlas.Reference, Log).RunPeakFma();
        }

        if (runPeers)
        {
            var runner = new PeerRunner(python, peersDirectory, dataDirectory, blas!.Value, Log);
            string e = epochs.ToString(CultureInfo.InvariantCulture);
            peers["torch mlp"] = runner.RunPython("torch_peer.py", "--model", "mlp", "--epochs", e, "--threads", "1", "--data", dataDirectory, "--tag", "netgen-compare");
            peers["sklearn mlp"] = runner.RunPython("sklearn_peer.py", "--mode", "fit", "--epochs", e, "--threads", "1", "--data", dataDirectory, "--tag", "netgen-compare");
            peers["torch softmax"] = runner.RunPython("torch_peer.py", "--model", "softmax", "--epochs", e, "--threads", "1", "--data", dataDirectory, "--tag", "netgen-compare");
            peers["torch xor"] = runner.RunPython("torch_peer.py", "--model", "xor", "--lr", "0.01", "--xor-seeds", xorRuns.ToString(CultureInfo.InvariantCulture),
                "--threads", "1", "--tag", "netgen-compare");
            peers["torch breakdown"] = runner.RunPython("torch_breakdown.py", "--threads", "1", "--tag", "netgen-compare");
        }

        // 3. The convolutional network (issue 14): NetGen's SimpleConvnet (CnnHarness), then torch_cnn.py, then ONNX Runtime
        // on the same model exported from PyTorch.
        CnnPeersResult? cnn = runCnn && runPeers
            ? CnnComparison.Run(new PeerRunner(python, peersDirectory, dataDirectory, blas!.Value, Log), test, () => CnnHarness.Measure(train, test, Log), runOrt, Log)
            : null;

        string loadAtEnd = LoadAverage();
        StallReading stallsAtEnd = StallProbe.Measure(Environment.ProcessorCount, 1.0);
        Log($"all done in {(DateTimeOffset.Now - started).TotalMinutes:F1} min");

        var context = new RunContext(
            started, loadAtStart, loadAfterNetGen, loadAtEnd, stallsAtStart, stallsAtEnd, epochs, train.Count, blas, notes, root);
        string report = Report.Build(context, netgen, ort, peers, peak);
        if (cnn is not null)
        {
            report += Environment.NewLine + CnnComparison.Markdown(cnn, PeakGflops(peak, "avx512_gflops_1t"), PeakGflops(peak, "avx512_gflops_nt"));
        }

        Console.WriteLine();
        Console.WriteLine(report);

        Directory.CreateDirectory(output);
        string stem = Path.Combine(output, "compare-" + started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        File.WriteAllText(stem + ".md", report);
        var raw = new { started, loadAtStart, loadAfterNetGen, loadAtEnd, stallsAtStart, stallsAtEnd, epochs, blas = blas?.ToString(), machine = Machine.Describe(), netgen, ort, peak, peers, cnn };
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(raw, new JsonSerializerOptions { WriteIndented = true, IncludeFields = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"saved {stem}.md and {stem}.json");
        return 0;
    }

    /// <summary>A GFLOP/s figure of peak_fma.c's JSON, or null.</summary>
    private static double? PeakGflops(JsonElement? peak, string name) =>
        peak is { } p && p.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    /// <summary>The 1, 5 and 15 minute load averages, as uptime prints them.</summary>
    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

/// <summary>When and how a comparison ran; the stall readings are the CPU time the machine took from running threads
/// before NetGen ran and after the peers (<see cref="StallProbe"/>).</summary>
internal sealed record RunContext(DateTimeOffset Started, string LoadAtStart, string LoadAfterNetGen, string LoadAtEnd,
    StallReading StallsAtStart, StallReading StallsAtEnd, int Epochs, int TrainCount, PeerBlas? Blas, IReadOnlyList<string> Notes,
    string? RepositoryRoot);

/// <summary>The machine, described from /proc and the runtime.</summary>
internal static class Machine
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        string memory = "";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            string? total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out long kb))
            {
                memory = string.Create(CultureInfo.InvariantCulture, $", {kb / 1024.0 / 1024.0:F0} GiB RAM");
            }
        }
        catch (IOException)
        {
        }

        return $"{cpu}, {Environment.ProcessorCount} logical CPUs{memory}; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; " +
            $"NetGen SIMD tier {Kernels.Simd.EffectiveTier} (best {Kernels.Simd.BestAvailable})";
    }
}
