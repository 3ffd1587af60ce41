using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks;
using NetGen.Benchmarks.Peers;

// NetGen's benchmarks (see docs/performance.md). From the repository root:
//
//   dotnet run --project tests/NetGen.Benchmarks -c Release -- --quick            every benchmark, short runs (a few minutes)
//   dotnet run --project tests/NetGen.Benchmarks -c Release -- --filter '*Gemm*'  BenchmarkDotNet's own options work too
//   dotnet run --project tests/NetGen.Benchmarks -c Release -- peers              NetGen vs PyTorch and scikit-learn, one table
//   dotnet run --project tests/NetGen.Benchmarks -c Release -- cnn                the CNN's kernels and the epoch they add up to
//   dotnet run --project tests/NetGen.Benchmarks -c Release -- shared             one shared model predicting from 1 vs 2 threads
//   bash tests/NetGen.Benchmarks/compare-peers.sh                                 the same, installing OpenBLAS first if needed
//
// Without --filter every benchmark runs (rather than BenchmarkDotNet's interactive menu).
if (args.Length > 0 && args[0] == "peers")
{
    return PeerComparison.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "cnn")
{
    // The CNN's kernels one by one and the epoch they add up to (ConvolutionBenchmarks.cs); the peak for the fractions
    // comes from NETGEN_PEAK_GFLOPS (peak_fma.c's 2-core figure), else the 2-core figure of docs/performance.md.
    string? peak = Environment.GetEnvironmentVariable("NETGEN_PEAK_GFLOPS");
    return CnnLayerKernels.Report(peak is null ? 448.8 : double.Parse(peak, System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == "shared")
{
    return SharedInstanceBenchmarks.Compare();
}

var rest = new List<string>();
bool quick = false, filtered = false;
foreach (string arg in args)
{
    if (arg == "--quick")
    {
        quick = true;
        continue;
    }

    filtered |= arg is "--filter" or "-f" or "--list" or "--help" or "-h" or "--version" or "--info";
    rest.Add(arg);
}

if (!filtered)
{
    rest.Add("--filter");
    rest.Add("*");
}

string artifacts = Path.Combine(BenchmarkData.RepositoryRoot() ?? Directory.GetCurrentDirectory(), "artifacts", "benchmarks");
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run([.. rest], BenchmarkConfig.Create(quick, artifacts));
Console.WriteLine($"Reports: {artifacts}{Path.DirectorySeparatorChar}results");
return 0;
