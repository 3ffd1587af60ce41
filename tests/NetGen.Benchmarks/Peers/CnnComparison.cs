using System;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Text;
using System.Text.Json;
using NetGen.Data;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// NetGen's figures for the Keras simple convnet (issue 14), measured as NetGenHarness measures the MLP: the median
/// training epoch (60 000 images, batch 32), the median single-image Predict and PredictBatch's throughput on the
/// 10 000 test images.
/// </summary>
internal sealed record CnnNetGenResult(double EpochSeconds, double SingleImageUs, double BatchImagesPerSecond);

/// <summary>What the CNN rows compare: ONNX Runtime on torch's export, torch_cnn.py's own run, and NetGen's when it exists.</summary>
internal sealed record CnnPeersResult(OrtResult? Ort, JsonElement? Export, JsonElement? Torch, CnnNetGenResult? NetGen);

/// <summary>
/// The CNN section of the peers command: torch_cnn.py (training epoch, batch-1000 inference, single-image latency)
/// and ONNX Runtime on the same model exported from PyTorch (export_torch_cnn.py), beside NetGen's CNN.
/// </summary>
internal static class CnnComparison
{
    /// <summary>Forward FLOPs per image: 2 × 2 440 960 multiply-adds (conv1, conv2, dense).</summary>
    public const double ForwardFlops = 2.0 * 2_440_960;

    /// <summary>
    /// Runs the peers (torch first, then the export and ONNX Runtime, one after another). <paramref name="netgen"/>
    /// is NetGen's own measurement, run first; null while NetGen has no CNN model to time.
    /// </summary>
    public static CnnPeersResult Run(PeerRunner runner, Dataset test, Func<CnnNetGenResult>? netgen, bool runOrt, Action<string> log)
    {
        CnnNetGenResult? ours = netgen?.Invoke();
        JsonElement? torch = runner.RunPython("torch_cnn.py", "--threads", "1", "--tag", "netgen-compare");
        if (!runOrt)
        {
            return new CnnPeersResult(null, null, torch, ours);
        }

        string onnx = Path.Combine(Path.GetTempPath(), $"netgen-torch-cnn-{Environment.ProcessId}.onnx");
        string script = Path.Combine(AppContext.BaseDirectory, "Peers", "export_torch_cnn.py");
        JsonElement? export = runner.RunPython(script, "--peers", runner.PeersDirectory, "--output", onnx);
        if (export is null || !File.Exists(onnx))
        {
            return new CnnPeersResult(null, export, torch, ours);
        }

        try
        {
            // No PredictBatch to compare outputs with: NetGen's CNN would need torch's weights (the serving issue's layout option).
            OrtResult ort = OrtHarness.Measure(File.ReadAllBytes(onnx), new OrtModelShape(784, 10, [1, 28, 28]), test, predictBatch: null, log);
            return new CnnPeersResult(ort, export, torch, ours);
        }
        finally
        {
            File.Delete(onnx);
        }
    }

    /// <summary>The CNN rows as Markdown: NetGen (or "not measured"), the peer, the ratio and the fraction of peak.</summary>
    public static string Markdown(CnnPeersResult r, double? peakOneCore, double? peakTwoCores)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("### Convolutional network (Keras simple convnet, issue 14)");
        s.AppendLine();
        s.AppendLine("| workload | NetGen | peer | NetGen ÷ peer speed | target |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        double? torchEpoch = Number(r.Torch, "epoch_s_median");
        double epochFlops = 3 * ForwardFlops * 60_000;
        string Share(double flopsPerSecond, double? peak) =>
            peak is > 0 ? string.Create(inv, $", {100 * flopsPerSecond / 1e9 / peak.Value:F0} % of peak") : "";
        string ng(double? value, string format, string unit) => value is null ? "not measured (no NetGen CNN yet)" : value.Value.ToString(format, inv) + unit;
        s.AppendLine(string.Create(inv,
            $"| training epoch, batch 32 | {ng(r.NetGen?.EpochSeconds, "F2", " s")}{(r.NetGen is null ? "" : Share(epochFlops / r.NetGen.EpochSeconds, peakTwoCores))} | torch 1 thread {Fmt(torchEpoch, "F2")} s | {Ratio(torchEpoch, r.NetGen?.EpochSeconds)} | ≥ 5× |"));
        OrtLatency? fastest = r.Ort?.Fastest;
        s.AppendLine(string.Create(inv,
            $"| single-image prediction | {ng(r.NetGen?.SingleImageUs, "F1", " µs")} | ORT {Fmt(fastest?.MedianUs, "F1")} µs ({fastest?.Api ?? "-"}); torch {Fmt(Number(r.Torch, "latency_us_median"), "F0")} µs | {Ratio(fastest?.MedianUs, r.NetGen?.SingleImageUs)} | ≥ 1.2× ORT |"));
        OrtThroughput? best = r.Ort?.BestThroughput;
        double? ortRate = best?.SamplesPerSecondMedian;
        s.AppendLine(string.Create(inv,
            $"| batch prediction, 10 000 images in batches of 1000 | {ng(r.NetGen?.BatchImagesPerSecond, "N0", " images/s")} | ORT {Fmt(ortRate, "N0")} images/s ({best?.IntraOpThreads ?? 0} thread(s){(ortRate is null ? "" : Share(ortRate.Value * ForwardFlops, peakTwoCores))}); torch {Fmt(Number(r.Torch, "infer_samples_per_s_median"), "N0")} | {Ratio(r.NetGen?.BatchImagesPerSecond, ortRate)} | ≥ 1.2× ORT |"));
        s.AppendLine();
        if (torchEpoch is > 0)
        {
            s.AppendLine(string.Create(inv, $"torch's epoch: {epochFlops / torchEpoch.Value / 1e9:F1} GFLOP/s{Share(epochFlops / torchEpoch.Value, peakOneCore).Replace("peak", "the 1-core peak", StringComparison.Ordinal)} (3 × forward FLOPs, 0.879 TFLOP per epoch)."));
        }

        if (r.Ort is { } ort)
        {
            string latencies = string.Join("; ", ort.Latencies.Select(l => string.Create(inv, $"{l.Api} {l.MedianUs:F1} µs (p10 {l.P10Us:F1}, p90 {l.P90Us:F1})")));
            string rates = string.Join("; ", ort.Throughputs.Select(t => string.Create(inv, $"{t.IntraOpThreads} thread(s) {t.SamplesPerSecondMedian:N0} images/s (best {t.SamplesPerSecondBest:N0})")));
            s.AppendLine(string.Create(inv, $"ONNX Runtime {ort.Version} on torch's export (opset {Number(r.Export, "opset")}): {latencies}; {rates}."));
        }

        return s.ToString();
    }

    private static double? Number(JsonElement? json, string name) =>
        json is { } j && j.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Fmt(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    /// <summary>How many times faster NetGen is: peer time ÷ NetGen time (or NetGen rate ÷ peer rate).</summary>
    private static string Ratio(double? numerator, double? denominator) =>
        numerator is > 0 && denominator is > 0 ? (numerator.Value / denominator.Value).ToString("F2", CultureInfo.InvariantCulture) + "×" : "-";
}
