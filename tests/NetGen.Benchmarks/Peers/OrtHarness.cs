using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen.Data;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Peers;

/// <summary>NetGen's batch prediction of the same model, for the output comparison: images in, outputs out.</summary>
internal delegate void PredictBatch(ReadOnlySpan<float> images, Span<float> outputs);

/// <summary>Floats per image in and out, and one image's tensor shape as the ONNX model takes it (e.g. [784] or [1, 28, 28]).</summary>
internal sealed record OrtModelShape(int InputSize, int OutputSize, int[] ImageShape);

/// <summary>Single-image latency percentiles (µs) of one ONNX Runtime API, each of 10 000 calls timed on its own.</summary>
internal sealed record OrtLatency(string Api, double MedianUs, double P10Us, double P90Us);

/// <summary>Batch throughput of ONNX Runtime with a number of intra-op threads: 10 000 images in batches of 1000.</summary>
internal sealed record OrtThroughput(int IntraOpThreads, double SamplesPerSecondMedian, double SamplesPerSecondBest);

/// <summary>What the peers command measures of ONNX Runtime running NetGen's exported MLP.</summary>
/// <param name="Version">ONNX Runtime's version.</param>
/// <param name="Latencies">IoBinding, OrtValue Run and NamedOnnxValue Run, one intra-op thread each.</param>
/// <param name="Throughputs">1 and 2 intra-op threads.</param>
/// <param name="MaxDifference">The largest difference between ONNX Runtime's and NetGen's outputs on the 10 000 test images.</param>
internal sealed record OrtResult(string Version, IReadOnlyList<OrtLatency> Latencies, IReadOnlyList<OrtThroughput> Throughputs, double MaxDifference)
{
    /// <summary>The fastest of the OrtValue-based APIs (IoBinding or Run over OrtValues).</summary>
    public OrtLatency Fastest => Latencies.Where(l => l.Api != NamedApi).MinBy(l => l.MedianUs)!;

    /// <summary>The common path: NamedOnnxValue in, DisposableNamedOnnxValue out.</summary>
    public OrtLatency Named => Latencies.Single(l => l.Api == NamedApi);

    /// <summary>The higher of the 1- and 2-thread throughputs (by median).</summary>
    public OrtThroughput BestThroughput => Throughputs.MaxBy(t => t.SamplesPerSecondMedian)!;

    public const string NamedApi = "NamedOnnxValue";
}

/// <summary>
/// ONNX Runtime, the inference engine a .NET user would reach for, on the same MLP NetGen just timed: NetGen's own
/// export (NetGen.Onnx), loaded from memory and timed in this process the way <see cref="NetGenHarness"/> times
/// <c>Predict</c> and <c>PredictBatch</c>: warm-up, then medians.
/// </summary>
internal static class OrtHarness
{
    private const double WarmupSeconds = 0.5;
    private const int Calls = 10000;
    private const int BatchRows = 1000;
    private const string Input = "input", Output = "output";

    public static OrtResult Measure(Network mlp, Dataset test, Action<string> log)
    {
        NetworkInfo info = mlp.Info;
        var shape = new OrtModelShape(info.InputSize, info.OutputSize, [.. info.InputShape]);
        return Measure(OnnxExporter.ToBytes(mlp), shape, test, mlp.PredictBatch, log);
    }

    /// <summary>
    /// Any ONNX model with one float input "input" (n × <see cref="OrtModelShape.ImageShape"/>) and one output
    /// "output" (n × outputs): the same latency and throughput measurements. <paramref name="predictBatch"/> (NetGen
    /// on the same weights) gives the largest difference of outputs; without it that is NaN.
    /// </summary>
    public static OrtResult Measure(byte[] model, OrtModelShape info, Dataset test, PredictBatch? predictBatch, Action<string> log)
    {
        int outSize = info.OutputSize;
        float[] images = test.Features.ToArray();
        int count = test.Count;

        var latencies = new List<OrtLatency>();
        using (InferenceSession session = Session(model, threads: 1))
        {
            log("ONNX Runtime single image: IoBinding over pinned buffers (1 intra-op thread)");
            latencies.Add(IoBindingLatency(session, images, count, info));
            log("ONNX Runtime single image: Run over OrtValues, output preallocated");
            latencies.Add(OrtValueLatency(session, images, count, info));
            log("ONNX Runtime single image: NamedOnnxValue (the common path)");
            latencies.Add(NamedLatency(session, images, count, info));
        }

        var throughputs = new List<OrtThroughput>();
        double maxDifference = predictBatch is null ? double.NaN : 0;
        foreach (int threads in new[] { 1, 2 })
        {
            log($"ONNX Runtime batch: {count} images in batches of {BatchRows}, {threads} intra-op thread(s)");
            using InferenceSession session = Session(model, threads);
            (OrtThroughput rate, float[] outputs) = Throughput(session, images, count, info, threads);
            throughputs.Add(rate);
            if (predictBatch is null)
            {
                continue;
            }

            var expected = new float[count * outSize];
            predictBatch(images, expected);
            maxDifference = Math.Max(maxDifference, expected.Zip(outputs, (e, a) => (double)Math.Abs(e - a)).Max());
        }

        return new OrtResult(OrtEnv.Instance().GetVersionString(), latencies, throughputs, maxDifference);
    }

    private static InferenceSession Session(byte[] model, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(model, options);
    }

    /// <summary>Input and output bound once to pinned buffers; each call copies the image in and runs the binding.</summary>
    private static OrtLatency IoBindingLatency(InferenceSession session, float[] images, int count, OrtModelShape info)
    {
        int inSize = info.InputSize;
        var input = new float[inSize];
        var output = new float[info.OutputSize];
        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(input, Shape(1, info));
        using OrtValue outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, info.OutputSize]);
        using OrtIoBinding binding = session.CreateIoBinding();
        using var run = new RunOptions();
        binding.BindInput(Input, inputValue);
        binding.BindOutput(Output, outputValue);
        return Latency("IoBinding", i =>
        {
            images.AsSpan(i % count * inSize, inSize).CopyTo(input);
            session.RunWithBinding(run, binding);
        });
    }

    /// <summary>One OrtValue per test image over the images' own memory, and a preallocated output: no copy, no allocation per call.</summary>
    private static OrtLatency OrtValueLatency(InferenceSession session, float[] images, int count, OrtModelShape info)
    {
        int inSize = info.InputSize;
        OrtValue[] inputs = new OrtValue[count];
        for (int i = 0; i < count; i++)
        {
            inputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images.AsMemory(i * inSize, inSize), Shape(1, info));
        }

        var output = new float[info.OutputSize];
        using OrtValue outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, info.OutputSize]);
        using var run = new RunOptions();
        string[] inputNames = [Input], outputNames = [Output];
        OrtValue[] outputValues = [outputValue];
        var oneInput = new OrtValue[1];
        try
        {
            return Latency("OrtValue Run", i =>
            {
                oneInput[0] = inputs[i % count];
                session.Run(run, inputNames, oneInput, outputNames, outputValues);
            });
        }
        finally
        {
            foreach (OrtValue value in inputs)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>What most examples show: a DenseTensor over the image, a NamedOnnxValue, Run, read the result, dispose it.</summary>
    private static OrtLatency NamedLatency(InferenceSession session, float[] images, int count, OrtModelShape info)
    {
        int inSize = info.InputSize;
        int[] dims = [1, .. info.ImageShape];
        var output = new float[info.OutputSize];
        return Latency(OrtResult.NamedApi, i =>
        {
            var tensor = new DenseTensor<float>(images.AsMemory(i % count * inSize, inSize), dims);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(Input, tensor)]);
            results[0].AsTensor<float>().ToArray().CopyTo(output, 0);
        });
    }

    private static OrtLatency Latency(string api, Action<int> call)
    {
        int i = 0;
        for (long start = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds; i++)
        {
            call(i);
        }

        var ticks = new long[Calls];
        GC.Collect();
        for (int c = 0; c < Calls; c++)
        {
            long t0 = Stopwatch.GetTimestamp();
            call(c);
            ticks[c] = Stopwatch.GetTimestamp() - t0;
        }

        Array.Sort(ticks);
        double toUs = 1e6 / Stopwatch.Frequency;
        return new OrtLatency(api, ticks[Calls / 2] * toUs, ticks[Calls / 10] * toUs, ticks[Calls * 9 / 10] * toUs);
    }

    /// <summary>All images in batches of <see cref="BatchRows"/> through OrtValues over the images and preallocated outputs; median of 9 passes.</summary>
    private static (OrtThroughput Rate, float[] Outputs) Throughput(InferenceSession session, float[] images, int count, OrtModelShape info, int threads)
    {
        int inSize = info.InputSize, outSize = info.OutputSize, batches = count / BatchRows;
        var outputs = new float[count * outSize];
        var inputValues = new OrtValue[batches];
        var outputValues = new OrtValue[batches];
        using var run = new RunOptions();
        string[] inputNames = [Input], outputNames = [Output];
        try
        {
            for (int b = 0; b < batches; b++)
            {
                inputValues[b] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images.AsMemory(b * BatchRows * inSize, BatchRows * inSize), Shape(BatchRows, info));
                outputValues[b] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, outputs.AsMemory(b * BatchRows * outSize, BatchRows * outSize), [BatchRows, outSize]);
            }

            OrtValue[][] ins = [.. inputValues.Select(v => new[] { v })], outs = [.. outputValues.Select(v => new[] { v })];
            void Pass()
            {
                for (int b = 0; b < batches; b++)
                {
                    session.Run(run, inputNames, ins[b], outputNames, outs[b]);
                }
            }

            for (long warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < WarmupSeconds;)
            {
                Pass();
            }

            var rates = new double[9];
            for (int r = 0; r < rates.Length; r++)
            {
                long start = Stopwatch.GetTimestamp();
                Pass();
                rates[r] = batches * BatchRows / Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            return (new OrtThroughput(threads, NetGenHarness.Median(rates), rates.Max()), outputs);
        }
        finally
        {
            foreach (OrtValue? value in inputValues.Concat(outputValues))
            {
                value?.Dispose();
            }
        }
    }

    private static long[] Shape(int rows, OrtModelShape info) => [rows, .. info.ImageShape.Select(d => (long)d)];
}
