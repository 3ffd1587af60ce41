using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace NetGen.Benchmarks.Peers;

/// <summary>Turns one comparison run into a Markdown report: the targets table first, then the details behind it.</summary>
internal static class Report
{
    /// <summary>RESULTS.md §1: the AVX-512 FP32 FMA peak of one core measured on the project machine.</summary>
    private const double RecordedPeakGflops = 226.9;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Build(RunContext run, NetGenResult ng, OrtResult? ort, IReadOnlyDictionary<string, JsonElement?> peers, JsonElement? peak)
    {
        JsonElement? torchMlp = Peer(peers, "torch mlp"), sklearn = Peer(peers, "sklearn mlp"), torchSoftmax = Peer(peers, "torch softmax");
        JsonElement? torchXor = Peer(peers, "torch xor"), breakdown = Peer(peers, "torch breakdown");
        double? measuredPeak = Number(peak, "avx512_gflops_1t");
        double peak1 = measuredPeak ?? RecordedPeakGflops;

        // RESULTS.md §5: training costs "3 x forward" FLOPs per sample; forward is 2·(784·100 + 100·10) for the mlp.
        double mlpEpochGflop = 3.0 * 2 * ((784 * 100) + (100 * 10)) * run.TrainCount / 1e9;
        double softmaxEpochGflop = 3.0 * 2 * 784 * 10 * run.TrainCount / 1e9;
        int steps = (run.TrainCount + 31) / 32;

        var s = new StringBuilder();
        s.AppendLine(Invariant, $"### NetGen vs peers, {run.Started:yyyy-MM-dd HH:mm zzz}");
        s.AppendLine();
        s.AppendLine(Invariant, $"- machine: {Machine.Describe()}");
        s.AppendLine(Invariant, $"- load average (1/5/15 min): {run.LoadAtStart} at the start, {run.LoadAfterNetGen} after NetGen, {run.LoadAtEnd} at the end");
        s.AppendLine(Invariant, $"- time the machine took from running threads (not counted as steal time; StallProbe): {run.StallsAtStart} at the start, {run.StallsAtEnd} at the end");
        s.AppendLine(Invariant, $"- peers: {PeerDescription(run, torchMlp, sklearn)}");
        s.AppendLine(Invariant, $"- peak: {PeakDescription(peak)}");
        s.AppendLine(Invariant, $"- NetGen: up to {NetGen.Threading.Parallelism.MaxThreads} thread(s) per operation (NETGEN_THREADS); classifiers train {run.Epochs}+ epochs of batch 32 with seed 42 (after 3 warm-up epochs on another instance), median epoch after the first; " +
            $"peers train {run.Epochs} epochs (median epoch); everything ran one after another");
        s.AppendLine();
        s.AppendLine("| workload | NetGen | best peer (which) | NetGen speed-up | target | met? |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- |");

        // Times: speed-up = peer time / NetGen time. Throughputs: NetGen / peer.
        var mlpPeers = Candidates(("torch", Number(torchMlp, "epoch_s_median")), ("sklearn", Number(sklearn, "epoch_s_median")));
        var bestMlp = Best(mlpPeers, lowerIsBetter: true);
        double? mlpSpeedup = bestMlp is null ? null : bestMlp.Value.Value / ng.Mlp.MedianSeconds;
        Row(s, "MLP 784-100-10 epoch (60k images, batch 32, Adam)", Seconds(ng.Mlp.MedianSeconds), PeerText(bestMlp, Seconds), mlpSpeedup,
            "≥ 5× (≤ 1/5 of the fastest peer)", mlpSpeedup >= 5);

        double? torchStep = Number(breakdown, "total_us_median");
        Row(s, "MLP training step (batch 32: forward, backward, Adam)", Micro(ng.MlpStep.TotalMedianUs),
            torchStep is null ? "–" : $"{Micro(torchStep.Value)} (torch)", torchStep / ng.MlpStep.TotalMedianUs, "–", null);

        double? torchSoftmaxEpoch = Number(torchSoftmax, "epoch_s_median");
        double? softmaxSpeedup = torchSoftmaxEpoch / ng.Softmax.MedianSeconds;
        Row(s, "softmax 784-10 epoch (RMSprop)", Seconds(ng.Softmax.MedianSeconds), torchSoftmaxEpoch is null ? "–" : $"{Seconds(torchSoftmaxEpoch.Value)} (torch)",
            softmaxSpeedup, "≥ 20× (≤ 1/20 of torch)", softmaxSpeedup >= 20);

        var latencyPeers = Candidates(("torch", Number(torchMlp, "latency_us_median")), ("sklearn", Number(sklearn, "latency_us_median")));
        var bestLatency = Best(latencyPeers, lowerIsBetter: true);
        Row(s, "single-image predict, MLP (median call)", Micro(ng.PredictMedianUs), PeerText(bestLatency, Micro),
            bestLatency?.Value / ng.PredictMedianUs, "≤ 2 µs", ng.PredictMedianUs <= 2);

        var batchPeers = Candidates(("torch", Number(torchMlp, "infer_samples_per_s_median")), ("sklearn", Number(sklearn, "infer_samples_per_s_median")));
        var bestBatch = Best(batchPeers, lowerIsBetter: false);
        double? batchSpeedup = ng.BatchSamplesPerSecondMedian / bestBatch?.Value;
        Row(s, "batch predict, 10k test images, MLP", Rate(ng.BatchSamplesPerSecondMedian), PeerText(bestBatch, Rate), batchSpeedup,
            "≥ 3× peer throughput", batchSpeedup >= 3);

        OrtRows(s, ng, ort);

        double? torchXorMs = Number(torchXor, "train_s_per_seed_median") * 1000;
        Row(s, "XOR 2-2-1, 5000 full-batch epochs, Adam", Milli(ng.XorMedianMilliseconds), torchXorMs is null ? "–" : $"{Milli(torchXorMs.Value)} (torch)",
            torchXorMs / ng.XorMedianMilliseconds, "≤ 5 ms", ng.XorMedianMilliseconds <= 5);

        // 0 B per step: the hand-written loop allocates nothing, and Fit's allocations do not grow with the steps (a few
        // hundred bytes of logs per epoch are per epoch, not per step).
        Row(s, "bytes allocated per training step (MLP loop; Fit per extra epoch)",
            string.Create(Invariant, $"{ng.MlpStep.BytesPerStep:F0} B; Fit {ng.FitBytesPerExtraEpoch} B per epoch of {steps} steps"),
            "–", null, "0 B/step", ng.MlpStep.BytesPerStep == 0 && ng.FitBytesPerExtraEpoch < steps);

        double ngGflops = mlpEpochGflop / ng.Mlp.MedianSeconds;
        string peerGflops = bestMlp is null ? "–" : string.Create(Invariant,
            $"{mlpEpochGflop / bestMlp.Value.Value:F1} GFLOP/s = {100 * mlpEpochGflop / bestMlp.Value.Value / peak1:F1} % ({bestMlp.Value.Name})");
        Row(s, "MLP epoch FLOP rate (3 × forward FLOPs), share of 1-core peak", string.Create(Invariant, $"{ngGflops:F1} GFLOP/s = {100 * ngGflops / peak1:F1} %"),
            peerGflops, mlpSpeedup, "(recorded)", null);
        s.AppendLine();
        s.AppendLine(Invariant, $"Peak: {peak1:F1} GFLOP/s FP32 on one core ({(measuredPeak is null ? "RESULTS.md's figure: peak_fma did not run" : "AVX-512 FMA, peak_fma.c in this run")}). " +
            $"One MLP epoch is {mlpEpochGflop:F2} GFLOP by that convention ({2.0 * 319_600 * run.TrainCount / 2 / 1e9:F2} GFLOP of actual GEMM work), a softmax epoch {softmaxEpochGflop:F2}.");
        foreach (string note in run.Notes)
        {
            s.AppendLine();
            s.AppendLine("Note: " + note);
        }

        // Details.
        s.AppendLine();
        s.AppendLine("#### Where the MLP step goes (median µs per step of 32)");
        s.AppendLine();
        s.AppendLine("| part | NetGen | torch (torch_breakdown.py) |");
        s.AppendLine("| --- | --- | --- |");
        s.AppendLine(Invariant, $"| forward (torch: + loss) | {ng.MlpStep.ForwardMedianUs:F1} | {Fmt(Number(breakdown, "forward_loss_us_median"))} |");
        s.AppendLine(Invariant, $"| backward (NetGen: + loss) | {ng.MlpStep.BackwardMedianUs:F1} | {Fmt(Number(breakdown, "backward_us_median"))} |");
        s.AppendLine(Invariant, $"| optimizer step (Adam, 79 510 parameters) | {ng.MlpStep.OptimizerMedianUs:F1} | {Fmt(Number(breakdown, "opt_step_us_median"))} |");
        s.AppendLine(Invariant, $"| whole step, median / mean | {ng.MlpStep.TotalMedianUs:F1} / {ng.MlpStep.TotalMeanUs:F1} | {Fmt(Number(breakdown, "total_us_median"))} / {Fmt(Number(breakdown, "total_us_mean"))} |");
        double gemmGflops = ng.StepGemmFlops / ng.StepGemmsMicroseconds / 1e3;
        double? torchGemmUs = Number(breakdown, "gemm_only_us_per_step"), torchGemmGflops = Number(breakdown, "gemm_gflops");
        s.AppendLine(Invariant, $"| the step's 5 GEMMs alone ({ng.StepGemmFlops / 1e6:F2} MFLOP) | {ng.StepGemmsMicroseconds:F1} ({gemmGflops:F1} GFLOP/s, {100 * gemmGflops / peak1:F0} % of peak) | " +
            $"{Fmt(torchGemmUs)} ({Fmt(torchGemmGflops)} GFLOP/s{(torchGemmGflops is null ? "" : string.Create(Invariant, $", {100 * torchGemmGflops.Value / peak1:F0} % of peak"))}) |");
        s.AppendLine(Invariant, $"| everything but the GEMMs (mean step − GEMMs) | {ng.MlpStep.TotalMeanUs - ng.StepGemmsMicroseconds:F1} | {Fmt(Number(breakdown, "framework_overhead_us_per_step"))} |");
        double fitPerStep = (ng.Mlp.MedianSeconds * 1e6 / steps) - ng.MlpStep.TotalMedianUs;
        s.AppendLine(Invariant, $"| Fit's own cost per step (epoch / {steps} − step median: batch gather, metrics) | {fitPerStep:F1} | – |");
        s.AppendLine();
        s.AppendLine(Invariant, $"Softmax step: NetGen {ng.SoftmaxStep.TotalMedianUs:F1} µs median (forward {ng.SoftmaxStep.ForwardMedianUs:F1}, backward {ng.SoftmaxStep.BackwardMedianUs:F1}, " +
            $"RMSprop {ng.SoftmaxStep.OptimizerMedianUs:F1}); its epoch {ng.Softmax.MedianSeconds * 1e6 / steps:F1} µs per step. " +
            $"Every Fit call also costs {ng.Mlp.FitOverheadSeconds * 1e3:F1} ms before its first epoch (data checks over all 47 M inputs, buffers).");
        OrtDetails(s, ng, ort);
        s.AppendLine();
        s.AppendLine(Invariant, $"#### NetGen GEMM by shape ({ng.SimdTier}, m×k×n, C = op(A)·op(B))");
        s.AppendLine();
        s.AppendLine("| shape | GFLOP/s | % of 1-core peak |");
        s.AppendLine("| --- | --- | --- |");
        foreach ((string shape, double gflops) in ng.GemmByShape)
        {
            s.AppendLine(Invariant, $"| {shape} | {gflops:F1} | {100 * gflops / peak1:F0} % |");
        }

        s.AppendLine();
        s.AppendLine("Measured in this process after the training runs, so with the JIT's profile of the training mix; BenchmarkDotNet's " +
            "GemmBenchmarks time each shape in a fresh process, which can differ by up to 2x for some shapes (docs/performance.md).");

        s.AppendLine();
        s.AppendLine("#### Same work, same quality? (test accuracy after the same number of epochs)");
        s.AppendLine();
        int e = run.Epochs;
        s.AppendLine(Invariant, $"- MLP after {e} epoch(s): NetGen {Acc(ng.Mlp.TestAccuracy, e)}, torch {Fmt(Element(torchMlp, "test_acc_per_epoch", e - 1), "F4")}, " +
            $"sklearn {Fmt(Number(sklearn, "test_acc_final"), "F4")} (sklearn: no dropout, L2 1e-4)");
        s.AppendLine(Invariant, $"- softmax after {e} epoch(s): NetGen {Acc(ng.Softmax.TestAccuracy, e)}, torch {Fmt(Element(torchSoftmax, "test_acc_per_epoch", e - 1), "F4")}");
        s.AppendLine(Invariant, $"- XOR, lr 0.01, 5000 epochs: NetGen {ng.XorRunsAt100}/{ng.XorRuns} runs at 100 % (Glorot init), " +
            $"torch {Fmt(Number(torchXor, "seeds_100pct"), "F0")}/{Fmt(Number(torchXor, "seeds"), "F0")} seeds (PyTorch's default init)");
        s.AppendLine();
        s.AppendLine("#### Raw timings");
        s.AppendLine();
        s.AppendLine(Invariant, $"- NetGen MLP epochs (s, the timed run after the warm-up): {string.Join(", ", ng.Mlp.EpochSeconds.Select(x => x.ToString("F3", Invariant)))}; " +
            $"softmax: {string.Join(", ", ng.Softmax.EpochSeconds.Select(x => x.ToString("F3", Invariant)))}");
        s.AppendLine(Invariant, $"- NetGen cold start (s, the process's first epochs of each model class, JIT warm-up included): MLP {string.Join(", ", ng.Mlp.ColdEpochs.Select(x => x.ToString("F3", Invariant)))}; " +
            $"softmax: {string.Join(", ", ng.Softmax.ColdEpochs.Select(x => x.ToString("F3", Invariant)))}");
        s.AppendLine(Invariant, $"- NetGen XOR runs (ms, after a second of untimed runs): {string.Join(", ", ng.XorMilliseconds.Select(x => x.ToString("F2", Invariant)))}; " +
            $"the process's first Fit (JIT included): {ng.XorColdMilliseconds:F1} ms; one Fit of 5000 epochs allocates {ng.XorBytesPerFit / 1024.0:F0} KiB");
        s.AppendLine(Invariant, $"- NetGen single predict: median {ng.PredictMedianUs:F2} µs (p10 {ng.PredictP10Us:F2}, p90 {ng.PredictP90Us:F2}), mean of a 10 000-call loop {ng.PredictMeanUs:F2} µs; " +
            $"batch: {Rate(ng.BatchSamplesPerSecondMedian)} median, {Rate(ng.BatchSamplesPerSecondBest)} best");
        s.AppendLine(Invariant, $"- torch mlp epochs (s): {List(torchMlp, "epoch_s")}; softmax: {List(torchSoftmax, "epoch_s")}; sklearn mlp epoch (fit time / epochs): {Fmt(Number(sklearn, "epoch_s_median"), "F3")}");
        s.AppendLine(Invariant, $"- torch latency median {Fmt(Number(torchMlp, "latency_us_median"))} µs, sklearn {Fmt(Number(sklearn, "latency_us_median"))} µs; " +
            $"batch of 1000: torch {RateOrDash(Number(torchMlp, "infer_samples_per_s_median"))}, sklearn {RateOrDash(Number(sklearn, "infer_samples_per_s_median"))}");
        return s.ToString();
    }

    /// <summary>The inference rows against ONNX Runtime (issue 15's targets): speed-up = ORT's time / NetGen's, NetGen's rate / ORT's.</summary>
    private static void OrtRows(StringBuilder s, NetGenResult ng, OrtResult? ort)
    {
        if (ort is null)
        {
            return;
        }

        OrtLatency fastest = ort.Fastest, named = ort.Named;
        double fastestRatio = fastest.MedianUs / ng.PredictMedianUs;
        Row(s, "single-image predict, MLP, vs ONNX Runtime's fastest API (1 intra-op thread)", Micro(ng.PredictMedianUs),
            $"{Micro(fastest.MedianUs)} (ORT {fastest.Api})", fastestRatio, "≥ 2.5×", fastestRatio >= 2.5);
        Row(s, "single-image predict, MLP, vs ONNX Runtime's NamedOnnxValue path", Micro(ng.PredictMedianUs),
            $"{Micro(named.MedianUs)} (ORT {named.Api})", named.MedianUs / ng.PredictMedianUs, "–", null);
        OrtThroughput best = ort.BestThroughput;
        double batchRatio = ng.BatchSamplesPerSecondMedian / best.SamplesPerSecondMedian;
        Row(s, "batch predict, 10k test images, MLP, vs ONNX Runtime (batches of 1000, best of 1 and 2 intra-op threads)", Rate(ng.BatchSamplesPerSecondMedian),
            string.Create(Invariant, $"{Rate(best.SamplesPerSecondMedian)} (ORT, {best.IntraOpThreads} thread{(best.IntraOpThreads == 1 ? "" : "s")})"), batchRatio,
            "≥ 1.25× ORT", batchRatio >= 1.25);
    }

    private static void OrtDetails(StringBuilder s, NetGenResult ng, OrtResult? ort)
    {
        if (ort is null)
        {
            return;
        }

        s.AppendLine();
        s.AppendLine(Invariant, $"#### ONNX Runtime {ort.Version} on NetGen's exported MLP (NetGen.Onnx, opset {NetGen.Onnx.OnnxExporter.OpsetVersion}), in this process after NetGen");
        s.AppendLine();
        s.AppendLine("| single image (10 000 calls, each timed) | median µs | p10 | p90 | NetGen speed-up (this median / NetGen's) |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        s.AppendLine(Invariant, $"| NetGen `Predict(ReadOnlySpan, Span)` | {ng.PredictMedianUs:F2} | {ng.PredictP10Us:F2} | {ng.PredictP90Us:F2} | – |");
        foreach (OrtLatency l in ort.Latencies)
        {
            s.AppendLine(Invariant, $"| ORT {l.Api} | {l.MedianUs:F2} | {l.P10Us:F2} | {l.P90Us:F2} | {l.MedianUs / ng.PredictMedianUs:F2}× |");
        }

        s.AppendLine();
        s.AppendLine("| batch throughput | median | best | NetGen speed-up (NetGen's median / this) |");
        s.AppendLine("| --- | --- | --- | --- |");
        s.AppendLine(Invariant, $"| NetGen `PredictBatch`, all 10 000 at once (chunks of 1 024 inside) | {Rate(ng.BatchSamplesPerSecondMedian)} | {Rate(ng.BatchSamplesPerSecondBest)} | – |");
        foreach (OrtThroughput t in ort.Throughputs)
        {
            s.AppendLine(Invariant, $"| ORT, batches of 1000 over OrtValues, {t.IntraOpThreads} intra-op thread(s) | {Rate(t.SamplesPerSecondMedian)} | {Rate(t.SamplesPerSecondBest)} | " +
                $"{ng.BatchSamplesPerSecondMedian / t.SamplesPerSecondMedian:F2}× |");
        }

        s.AppendLine();
        s.AppendLine(Invariant, $"IoBinding: input and output bound once to pinned buffers, each call copies the image in. OrtValue Run: one OrtValue per test image over " +
            $"its own memory and a preallocated output, no copy. NamedOnnxValue: a DenseTensor and NamedOnnxValue per call, results copied out and disposed. " +
            $"Largest difference between ORT's and NetGen's outputs on the 10 000 test images: {ort.MaxDifference:E2}.");
    }

    private static void Row(StringBuilder s, string workload, string netgen, string peer, double? speedup, string target, bool? met) =>
        s.AppendLine(Invariant, $"| {workload} | {netgen} | {peer} | {(speedup is null ? "–" : Speedup(speedup.Value))} | {target} | {(met is null ? "–" : met.Value ? "yes" : "no")} |");

    private static string Speedup(double x) => x.ToString(x >= 10 ? "F0" : "F2", Invariant) + "×";

    private static string PeerDescription(RunContext run, JsonElement? torch, JsonElement? sklearn)
    {
        if (torch is null && sklearn is null)
        {
            return "not run";
        }

        string blas = run.Blas == PeerBlas.OpenBlasSkylakeX
            ? "OpenBLAS with OPENBLAS_CORETYPE=SkylakeX (AVX-512 kernels)"
            : "the reference BLAS that python3-torch brings (no OpenBLAS)";
        string mapped = "";
        if (torch is JsonElement t && t.TryGetProperty("blas_info", out JsonElement info) && info.ValueKind == JsonValueKind.Array && info.GetArrayLength() > 0)
        {
            JsonElement first = info[0];
            mapped = $" [torch sees {Text(first, "internal_api")} {Text(first, "version")} {Text(first, "architecture")}]";
        }
        else if (torch is JsonElement t2 && t2.TryGetProperty("blas", out JsonElement libs) && libs.ValueKind == JsonValueKind.Array)
        {
            mapped = $" [torch maps {string.Join(", ", libs.EnumerateArray().Select(l => Path.GetFileName(l.GetString())))}]";
        }

        return $"torch {Text(torch, "torch")} and scikit-learn {Text(sklearn, "sklearn")} (Debian, /usr/bin/python3), 1 thread, on {blas}{mapped}";
    }

    private static string PeakDescription(JsonElement? peak) => peak is null
        ? string.Create(Invariant, $"not measured here; RESULTS.md's {RecordedPeakGflops} GFLOP/s per core is used")
        : string.Create(Invariant,
            $"AVX-512 FP32 FMA {Number(peak, "avx512_gflops_1t"):F1} GFLOP/s on 1 core, {Number(peak, "avx512_gflops_nt"):F1} on {Number(peak, "threads"):F0}; " +
            $"AVX2 {Number(peak, "avx2_gflops_1t"):F1} on 1 core; clock ≈ {Number(peak, "ghz_est"):F2} GHz; triad {Number(peak, "triad_gbs_1t"):F1} GB/s on 1 thread (peak_fma.c)");

    private static JsonElement? Peer(IReadOnlyDictionary<string, JsonElement?> peers, string name) => peers.TryGetValue(name, out JsonElement? e) ? e : null;

    private static List<(string Name, double Value)> Candidates(params (string Name, double? Value)[] values) =>
        [.. values.Where(v => v.Value is > 0).Select(v => (v.Name, v.Value!.Value))];

    private static (string Name, double Value)? Best(List<(string Name, double Value)> candidates, bool lowerIsBetter) =>
        candidates.Count == 0 ? null : lowerIsBetter ? candidates.MinBy(c => c.Value) : candidates.MaxBy(c => c.Value);

    private static string PeerText((string Name, double Value)? best, Func<double, string> format) =>
        best is null ? "–" : $"{format(best.Value.Value)} ({best.Value.Name})";

    internal static double? Number(JsonElement? e, string name) =>
        e is JsonElement j && j.ValueKind == JsonValueKind.Object && j.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static double? Element(JsonElement? e, string name, int index) =>
        e is JsonElement j && j.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Array && index >= 0 && index < v.GetArrayLength()
            && v[index].ValueKind == JsonValueKind.Number ? v[index].GetDouble() : null;

    private static string List(JsonElement? e, string name) =>
        e is JsonElement j && j.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Array
            ? string.Join(", ", v.EnumerateArray().Select(x => x.GetDouble().ToString("F3", Invariant)))
            : "–";

    private static string Text(JsonElement? e, string name) =>
        e is JsonElement j && j.ValueKind == JsonValueKind.Object && j.TryGetProperty(name, out JsonElement v) ? v.ToString() : "?";

    private static string Acc(double[] accuracy, int epochs) => epochs <= accuracy.Length ? accuracy[epochs - 1].ToString("F4", Invariant) : "–";

    private static string Fmt(double? x, string format = "F1") => x is null ? "–" : x.Value.ToString(format, Invariant);

    private static string Seconds(double s) => s.ToString("F3", Invariant) + " s";

    private static string Milli(double ms) => ms.ToString(ms >= 100 ? "F0" : "F2", Invariant) + " ms";

    private static string Micro(double us) => us.ToString(us >= 100 ? "F0" : "F2", Invariant) + " µs";

    private static string Rate(double perSecond) => (perSecond / 1e6).ToString("F2", Invariant) + " M samples/s";

    private static string RateOrDash(double? perSecond) => perSecond is null ? "–" : Rate(perSecond.Value);
}
