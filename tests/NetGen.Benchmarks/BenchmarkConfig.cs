using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>The BenchmarkDotNet configuration: allocations per operation, the GFLOP/s column, and a quick job on demand.</summary>
internal static class BenchmarkConfig
{
    /// <summary>
    /// <paramref name="quick"/>: one launch, 3 warm-up and 5 measured iterations (of BenchmarkDotNet's default 0.5 s), so
    /// the whole suite takes a few minutes on two cores; BenchmarkDotNet's default job picks its own counts and takes far
    /// longer. Iterations shorter than 0.5 s would let BenchmarkDotNet settle on one invocation per iteration for the
    /// 10-20 ms benchmarks, which then run before tiered compilation has finished with them.
    /// </summary>
    public static IConfig Create(bool quick, string artifactsPath)
    {
        Job job = quick
            ? Job.Default.WithId("Quick").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5)
            : Job.Default;
        return DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new GflopsColumn())
            .WithArtifactsPath(artifactsPath);
    }
}

/// <summary>GFLOP/s of a GEMM benchmark, from its Shape parameter (2·m·k·n) and its mean time; "-" for the others.</summary>
internal sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => false;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "GEMM throughput: 2·m·k·n floating-point operations over the mean time";

    /// <summary>Only in the GEMM table: the others have no shape to count FLOPs from.</summary>
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => ShapeOf(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (ShapeOf(benchmarkCase) is not string shape)
        {
            return "-";
        }

        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNs is > 0 ? (GemmShape.Parse(shape).Flops / meanNs.Value).ToString("F1", CultureInfo.InvariantCulture) : "NA";
    }

    public override string ToString() => ColumnName;

    private static string? ShapeOf(BenchmarkCase benchmarkCase)
    {
        foreach (ParameterInstance parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Name == nameof(GemmBenchmarks.Shape) && parameter.Value is string shape)
            {
                return shape;
            }
        }

        return null;
    }
}
