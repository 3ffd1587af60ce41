using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks;

/// <summary>
/// One MLP instance (784-100-10) shared by <see cref="Threads"/> threads, each predicting single test images, as a web
/// server's singleton answers requests: the time per prediction over all threads. With 2 threads on a 2-core machine it
/// should be about half that of 1 (the target: throughput from 2 threads at least 1.8× that from one). For the ratio
/// alone, alternating 1 and 2 threads in one process: <c>dotnet run -c Release --project tests/NetGen.Benchmarks -- shared</c>.
/// </summary>
public class SharedInstanceBenchmarks
{
    /// <summary>Predictions each thread makes per benchmark invocation (about 40 ms at 2 µs each).</summary>
    private const int PredictionsPerThread = 20_000;

    private SharedServing _serving = null!;

    /// <summary>Threads predicting with the one instance.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _serving = new SharedServing(new MlpClassifier(seed: 42), BenchmarkData.Test.Features.ToArray(), Threads);

    [GlobalCleanup]
    public void Cleanup() => _serving.Dispose();

    /// <summary>Per prediction: the wall time of every thread's predictions, divided by their number.</summary>
    [Benchmark(OperationsPerInvoke = PredictionsPerThread)]
    public void SharedPredictSingle() => _serving.Run(PredictionsPerThread);

    /// <summary>
    /// Alternates 1 and 2 threads on one shared instance, <paramref name="rounds"/> times each, and prints the
    /// throughput of each and their ratio (medians).
    /// </summary>
    public static int Compare(int rounds = 7)
    {
        float[] images = BenchmarkData.Test.Features.ToArray();
        var model = new MlpClassifier(seed: 42);
        using var one = new SharedServing(model, images, 1);
        using var two = new SharedServing(model, images, 2);
        one.Run(PredictionsPerThread); // warm-up: tiered JIT, each thread's scratch
        two.Run(PredictionsPerThread);
        var single = new double[rounds];
        var dual = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            single[r] = one.Throughput(PredictionsPerThread * 5);
            dual[r] = two.Throughput(PredictionsPerThread * 5);
        }

        double m1 = Median(single), m2 = Median(dual);
        Console.WriteLine($"shared MlpClassifier, single-image Predict, {rounds} alternating rounds of {PredictionsPerThread * 5:N0} predictions per thread");
        Console.WriteLine($"  1 thread : {m1 / 1e6:F3} M predictions/s (median; {single.Min() / 1e6:F3}-{single.Max() / 1e6:F3})");
        Console.WriteLine($"  2 threads: {m2 / 1e6:F3} M predictions/s (median; {dual.Min() / 1e6:F3}-{dual.Max() / 1e6:F3})");
        Console.WriteLine($"  ratio    : {m2 / m1:F2}x (target >= 1.8x; meaningful only on an otherwise idle machine)");
        return 0;
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Threads kept waiting between runs, each predicting single images with one shared model when a run starts.</summary>
internal sealed class SharedServing : IDisposable
{
    private readonly Network _model;
    private readonly float[] _images;
    private readonly Thread[] _threads;
    private readonly Barrier _start;
    private readonly Barrier _done;
    private volatile int _predictions;
    private volatile bool _stopping;

    public SharedServing(Network model, float[] images, int threads)
    {
        _model = model;
        _images = images;
        _start = new Barrier(threads + 1);
        _done = new Barrier(threads + 1);
        _threads = [.. Enumerable.Range(0, threads).Select(t => new Thread(() => Serve(t)) { IsBackground = true, Name = $"shared predictor {t}" })];
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Every thread makes <paramref name="predictionsPerThread"/> predictions; returns when all are done.</summary>
    public void Run(int predictionsPerThread)
    {
        _predictions = predictionsPerThread;
        _start.SignalAndWait();
        _done.SignalAndWait();
    }

    /// <summary>Predictions per second over all threads, for one run.</summary>
    public double Throughput(int predictionsPerThread)
    {
        long start = Stopwatch.GetTimestamp();
        Run(predictionsPerThread);
        return predictionsPerThread * (double)_threads.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private void Serve(int index)
    {
        int inSize = _model.Info.InputSize, images = _images.Length / inSize;
        var output = new float[_model.Info.OutputSize];
        int next = index * 997 % images; // threads start on different images
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            for (int i = _predictions; i > 0; i--)
            {
                _model.Predict(_images.AsSpan(next * inSize, inSize), output);
                next = next + 1 == images ? 0 : next + 1;
            }

            _done.SignalAndWait();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }
}
