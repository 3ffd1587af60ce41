using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Benchmarks.Peers;

/// <summary>Epoch times of one Fit (the first epoch is the warm-up) and test accuracy after each epoch.</summary>
/// <param name="EpochSeconds">Each epoch's time as Fit measures it (shuffle and steps; no data checks, no evaluation).</param>
/// <param name="MedianSeconds">Median over the epochs after the first.</param>
/// <param name="MinSeconds">Fastest epoch after the first.</param>
/// <param name="TestAccuracy">Test accuracy after each epoch.</param>
/// <param name="FitOverheadSeconds">Wall time of a one-epoch Fit minus its epoch: the data checks and setup every Fit call pays.</param>
/// <param name="FitBytesPerStep">Bytes a one-epoch Fit allocates, divided by its steps (setup included).</param>
internal sealed record EpochResult(double[] EpochSeconds, double MedianSeconds, double MinSeconds, double[] TestAccuracy,
    double FitOverheadSeconds, double FitBytesPerStep)
{
    /// <summary>The epochs of the same model class trained first in a fresh process: JIT warm-up included.</summary>
    public double[] ColdEpochs { get; init; } = [];
}

/// <summary>Per-step medians (µs) of a hand-written training loop at batch 32, and its allocations.</summary>
internal sealed record StepResult(double TotalMedianUs, double TotalMeanUs, double ForwardMedianUs, double BackwardMedianUs,
    double OptimizerMedianUs, double BytesPerStep, int Steps);

/// <summary>Everything the peers command measures on the NetGen side.</summary>
internal sealed record NetGenResult(
    EpochResult Mlp,
    EpochResult Softmax,
    long FitBytesPerExtraEpoch,
    double[] XorMilliseconds,
    double XorMedianMilliseconds,
    int XorRuns,
    int XorRunsAt100,
    StepResult MlpStep,
    StepResult SoftmaxStep,
    double StepGemmsMicroseconds,
    double StepGemmFlops,
    IReadOnlyList<(string Shape, double Gflops)> GemmByShape,
    double PredictMedianUs,
    double PredictP10Us,
    double PredictP90Us,
    double PredictMeanUs,
    double BatchSamplesPerSecondMedian,
    double BatchSamplesPerSecondBest,
    string SimdTier,
    double XorColdMilliseconds,
    long XorBytesPerFit);

/// <summary>
/// NetGen's side of the peer comparison: a plain Stopwatch harness, single-threaded, warm-up first, medians of several
/// repetitions. Each measurement mirrors what the peer scripts time (see ../shared/peers/torch_peer.py).
/// </summary>
internal static class NetGenHarness
{
    private const int BatchSize = 32;

    /// <summary>
    /// Untimed XOR trainings before the timed ones, and at least a second of them: .NET promotes a method to tier 1 after
    /// 30 calls, counted once 100 ms have passed without new tier-0 compilations, and compiles it in the background.
    /// </summary>
    private const int XorWarmupRuns = 40;

    /// <summary>Seconds of untimed work before each timed measurement, so tiered compilation has settled (see docs/performance.md).</summary>
    private const double WarmupSeconds = 0.5;

    /// <summary>Measures everything; <paramref name="trainedMlp"/> is the MLP whose inference was timed, for the ONNX Runtime peer.</summary>
    public static NetGenResult Measure(Dataset train, Dataset test, int epochs, int xorRuns, Action<string> log, out Network trainedMlp)
    {
        // The models the peers train: mlp with Adam, softmax with RMSprop(ρ 0.9, ε 1e-7), seed 42, batch 32, shuffled.
        // Each model class first trains a throwaway instance for WarmupEpochs (untimed), so the timed run, which starts
        // from the same seed as the peers, sees settled JIT tiers: the steady state the targets are about. What a cold
        // process sees instead is recorded apart (ColdEpochs).
        log($"NetGen mlp: {WarmupEpochs} warm-up epochs on another instance, then {epochs} epochs of Fit (median after the first)");
        double[] mlpCold = WarmUp(new MlpClassifier(seed: 7) { Optimizer = new Adam() }, train);
        var mlp = new MlpClassifier(seed: 42);
        mlp.Compile(new Adam());
        EpochResult mlpEpochs = MeasureEpochs(mlp, train, test, epochs) with { ColdEpochs = mlpCold };

        log($"NetGen softmax: {WarmupEpochs} warm-up epochs, then {epochs} epochs of Fit");
        double[] softmaxCold = WarmUp(new SoftmaxClassifier(seed: 7) { Optimizer = new RmsProp() }, train);
        var softmax = new SoftmaxClassifier(seed: 42);
        softmax.Compile(new RmsProp());
        EpochResult softmaxEpochs = MeasureEpochs(softmax, train, test, epochs) with { ColdEpochs = softmaxCold };

        // What an epoch allocates beyond what every Fit call allocates once: a 2-epoch Fit minus a 1-epoch Fit.
        long oneEpoch = AllocatedBy(() => softmax.Fit(train, epochs: 1, batchSize: BatchSize, seed: 1, verbose: 0));
        long twoEpochs = AllocatedBy(() => softmax.Fit(train, epochs: 2, batchSize: BatchSize, seed: 1, verbose: 0));
        long marginal = twoEpochs - oneEpoch;

        log($"NetGen xor: {xorRuns} runs of 5000 epochs (after one cold run and a second of untimed ones)");
        (double[] xorMs, int xorAt100, double xorColdMs, long xorBytes) = MeasureXor(xorRuns);

        log("NetGen training steps (hand-written loop: Forward, Backward, optimizer Step)");
        StepResult mlpStep = MeasureSteps(new MlpClassifier(seed: 42) { Optimizer = new Adam() }, train);
        StepResult softmaxStep = MeasureSteps(new SoftmaxClassifier(seed: 42) { Optimizer = new RmsProp() }, train);

        log("NetGen GEMMs alone");
        (double gemmUs, double gemmFlops) = MeasureStepGemms();
        var byShape = new List<(string, double)>();
        foreach (string shape in new[] { "32x784x100", "784x32x100:TransA", "32x100x10", "32x10x100:TransB", "1x784x100", "1024x784x100" })
        {
            byShape.Add((shape, MeasureGemm(GemmShape.Parse(shape))));
        }

        log("NetGen inference (the trained mlp)");
        (double median, double p10, double p90, double mean) = MeasureSinglePredict(mlp, test);
        (double batchMedian, double batchBest) = MeasureBatchPredict(mlp, test);
        trainedMlp = mlp;

        return new NetGenResult(mlpEpochs, softmaxEpochs, marginal, xorMs, Median(xorMs), xorRuns, xorAt100, mlpStep, softmaxStep,
            gemmUs, gemmFlops, byShape, median, p10, p90, mean, batchMedian, batchBest, Kernels.Simd.EffectiveTier.ToString(), xorColdMs, xorBytes);
    }

    /// <summary>Untimed epochs of a throwaway model before the timed run.</summary>
    private const int WarmupEpochs = 3;

    /// <summary>Trains <paramref name="model"/> for <see cref="WarmupEpochs"/>; returns its epoch times (a cold start's).</summary>
    private static double[] WarmUp(Network model, Dataset train) =>
        [.. model.Fit(train, epochs: WarmupEpochs, batchSize: BatchSize, seed: 1, verbose: 0).Epochs.Select(e => e.Elapsed.TotalSeconds)];

    private static EpochResult MeasureEpochs(Network model, Dataset train, Dataset test, int epochs)
    {
        var accuracy = new List<double>();
        var evaluate = new LambdaCallback((m, _) => accuracy.Add(m.Evaluate(test, batchSize: 1000).Accuracy ?? double.NaN));
        Collect();
        History history = model.Fit(train, epochs: epochs, batchSize: BatchSize, seed: 42, verbose: 0, callbacks: [evaluate]);
        double[] seconds = [.. history.Epochs.Select(e => e.Elapsed.TotalSeconds)];
        double[] timed = seconds.Length > 1 ? seconds[1..] : seconds;

        // One more epoch, timed from outside, for what a Fit call costs around its epochs, and what it allocates.
        Collect();
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        History one = model.Fit(train, epochs: 1, batchSize: BatchSize, seed: 43, verbose: 0);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return new EpochResult(seconds, Median(timed), timed.Min(), [.. accuracy], wall - one.Epochs[0].Elapsed.TotalSeconds,
            (double)bytes / Steps(train.Count));
    }

    /// <summary>
    /// XOR from scratch, 5000 epochs per Fit. The first Fit of the process is timed apart (cold: JIT included); then
    /// untimed runs (<see cref="XorWarmupRuns"/>), so that Fit itself, called once per training, reaches tier-1 code as it
    /// would in a long-running program (until then its loop runs as on-stack-replaced tier-0 code, about 2x slower here).
    /// </summary>
    private static (double[] Milliseconds, int RunsAt100, double ColdMilliseconds, long BytesPerFit) MeasureXor(int runs)
    {
        Dataset data = BenchmarkData.Xor();
        var xor = new XorNet(seed: 42);
        xor.Compile(new Adam(0.01f));
        long cold = Stopwatch.GetTimestamp();
        xor.Fit(data, epochs: 5000, batchSize: 4, seed: 42, verbose: 0);
        double coldMs = Stopwatch.GetElapsedTime(cold).TotalMilliseconds;
        for (long start = Stopwatch.GetTimestamp(), r = 0; r < XorWarmupRuns || Stopwatch.GetElapsedTime(start).TotalSeconds < 1; r++)
        {
            xor.InitializeParameters(r);
            xor.Fit(data, epochs: 5000, batchSize: 4, seed: (int)r, verbose: 0);
        }

        var times = new double[runs];
        int perfect = 0;
        for (int r = 0; r < runs; r++)
        {
            int seed = 42 + r;
            xor.InitializeParameters(seed);
            Collect();
            long start = Stopwatch.GetTimestamp();
            xor.Fit(data, epochs: 5000, batchSize: 4, seed: seed, verbose: 0);
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            perfect += xor.Evaluate(data).Accuracy == 1f ? 1 : 0;
        }

        long bytes = AllocatedBy(() => xor.Fit(data, epochs: 5000, batchSize: 4, seed: 42, verbose: 0));
        return (times, perfect, coldMs, bytes);
    }

    private static StepResult MeasureSteps(Network model, Dataset train, int steps = 1875)
    {
        ReadOnlySpan<float> features = train.Features, targets = train.Targets;
        int inSize = model.Info.InputSize, batches = train.Count / BatchSize;
        var forward = new long[steps];
        var backward = new long[steps];
        var optimizer = new long[steps];
        var total = new long[steps];
        int warmup = 0;
        for (long start = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds; warmup++)
        {
            int batch = warmup % batches;
            ReadOnlySpan<float> x = features.Slice(batch * BatchSize * inSize, BatchSize * inSize);
            model.Forward(x, BatchSize, training: true);
            model.Backward(x, targets.Slice(batch * BatchSize, BatchSize), BatchSize);
            model.Optimizer.Step(model.TrainableParameters, model.TrainableGradients);
        }

        Collect();
        for (int s = 0; s < steps; s++)
        {
            int batch = (s + warmup) % batches;
            ReadOnlySpan<float> x = features.Slice(batch * BatchSize * inSize, BatchSize * inSize);
            ReadOnlySpan<float> y = targets.Slice(batch * BatchSize, BatchSize);
            long t0 = Stopwatch.GetTimestamp();
            model.Forward(x, BatchSize, training: true);
            long t1 = Stopwatch.GetTimestamp();
            model.Backward(x, y, BatchSize);
            long t2 = Stopwatch.GetTimestamp();
            model.Optimizer.Step(model.TrainableParameters, model.TrainableGradients);
            long t3 = Stopwatch.GetTimestamp();
            if (s >= 0)
            {
                forward[s] = t1 - t0;
                backward[s] = t2 - t1;
                optimizer[s] = t3 - t2;
                total[s] = t3 - t0;
            }
        }

        // Allocations over a second pass of the same loop, without the timestamps.
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 0; s < steps; s++)
        {
            int batch = s % batches;
            ReadOnlySpan<float> x = features.Slice(batch * BatchSize * inSize, BatchSize * inSize);
            model.Forward(x, BatchSize, training: true);
            model.Backward(x, targets.Slice(batch * BatchSize, BatchSize), BatchSize);
            model.Optimizer.Step(model.TrainableParameters, model.TrainableGradients);
        }

        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return new StepResult(MedianUs(total), total.Average() * 1e6 / Stopwatch.Frequency, MedianUs(forward), MedianUs(backward),
            MedianUs(optimizer), (double)bytes / steps, steps);
    }

    /// <summary>The five GEMMs of one MLP step at batch 32 (the first layer needs no input gradient), as torch_breakdown.py times them.</summary>
    private static (double Microseconds, double Flops) MeasureStepGemms()
    {
        GemmShape[] shapes =
        [
            GemmShape.Parse("32x784x100"), GemmShape.Parse("32x100x10"),
            GemmShape.Parse("100x32x10:TransA"), GemmShape.Parse("32x10x100:TransB"), GemmShape.Parse("784x32x100:TransA"),
        ];
        var buffers = shapes.Select(s => (A: Random(s.M * s.K), B: Random(s.K * s.N), C: new float[s.M * s.N])).ToArray();
        void Once()
        {
            for (int i = 0; i < shapes.Length; i++)
            {
                shapes[i].Run(buffers[i].A, buffers[i].B, buffers[i].C);
            }
        }

        double seconds = TimeRepeated(Once, targetSeconds: 0.05, blocks: 7);
        return (seconds * 1e6, shapes.Sum(s => s.Flops));
    }

    private static double MeasureGemm(GemmShape shape)
    {
        float[] a = Random(shape.M * shape.K), b = Random(shape.K * shape.N), c = new float[shape.M * shape.N];
        return shape.Flops / TimeRepeated(() => shape.Run(a, b, c), targetSeconds: 0.02, blocks: 7) / 1e9;
    }

    internal static (double Median, double P10, double P90, double Mean) MeasureSinglePredict(Network model, Dataset test, int calls = 10000)
    {
        ReadOnlySpan<float> images = test.Features;
        int inSize = model.Info.InputSize;
        Span<float> output = stackalloc float[model.Info.OutputSize];
        for (long start = Stopwatch.GetTimestamp(), i = 0; Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds; i++)
        {
            model.Predict(images.Slice((int)(i % test.Count) * inSize, inSize), output);
        }

        // Each call timed on its own, as torch_peer.py does (median of 10 000 calls); then whole loops, for the mean.
        var ticks = new long[calls];
        Collect();
        for (int i = 0; i < calls; i++)
        {
            ReadOnlySpan<float> image = images.Slice(i % test.Count * inSize, inSize);
            long t0 = Stopwatch.GetTimestamp();
            model.Predict(image, output);
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }

        Array.Sort(ticks);
        double toUs = 1e6 / Stopwatch.Frequency;
        var loops = new double[5];
        for (int r = 0; r < loops.Length; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                model.Predict(images.Slice(i % test.Count * inSize, inSize), output);
            }

            loops[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        }

        return (ticks[calls / 2] * toUs, ticks[calls / 10] * toUs, ticks[calls * 9 / 10] * toUs, Median(loops));
    }

    private static (double Median, double Best) MeasureBatchPredict(Network model, Dataset test)
    {
        var outputs = new float[test.Count * model.Info.OutputSize];
        for (long warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < WarmupSeconds;)
        {
            model.PredictBatch(test.Features, outputs);
        }

        var rates = new double[9];
        for (int r = 0; r < rates.Length; r++)
        {
            long start = Stopwatch.GetTimestamp();
            model.PredictBatch(test.Features, outputs);
            rates[r] = test.Count / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return (Median(rates), rates.Max());
    }

    /// <summary>Seconds per call of <paramref name="action"/>: warm-up, then calibrated blocks of about <paramref name="targetSeconds"/>, median block.</summary>
    private static double TimeRepeated(Action action, double targetSeconds, int blocks)
    {
        for (long warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < WarmupSeconds;)
        {
            action();
        }

        int reps = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                action();
            }

            if (Stopwatch.GetElapsedTime(start).TotalSeconds >= targetSeconds / 4 || reps >= 1 << 24)
            {
                break;
            }

            reps *= 2;
        }

        reps *= 4;
        var perCall = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                action();
            }

            perCall[b] = Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
        }

        return Median(perCall);
    }

    private static long AllocatedBy(Action action)
    {
        Collect();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static int Steps(int samples) => (samples + BatchSize - 1) / BatchSize;

    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static float[] Random(int length)
    {
        var rng = new Random(length);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return values;
    }

    private static double MedianUs(long[] ticks)
    {
        long[] sorted = [.. ticks];
        Array.Sort(sorted);
        return sorted[sorted.Length / 2] * 1e6 / Stopwatch.Frequency;
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
