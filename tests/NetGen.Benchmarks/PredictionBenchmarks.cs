using System;
using BenchmarkDotNet.Attributes;
using NetGen.Data;

namespace NetGen.Benchmarks;

/// <summary>
/// Inference with the MLP (784-100-10): one image at a time through the allocation-free Predict(span, span), cycling
/// through the test images, and the whole test set through PredictBatch.
/// </summary>
[MemoryDiagnoser]
public class PredictionBenchmarks
{
    private MlpClassifier _mlp = null!;
    private float[] _images = [];
    private float[] _output = new float[MlpClassifier.OutputSize];
    private float[] _outputs = [];
    private int _count;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        Dataset test = BenchmarkData.Test;
        _images = test.Features.ToArray();
        _count = test.Count;
        _outputs = new float[_count * MlpClassifier.OutputSize];
        _mlp = new MlpClassifier(seed: 42);
    }

    /// <summary>One image (PyTorch 13.7 µs, scikit-learn 30 µs).</summary>
    [Benchmark]
    public float PredictSingle()
    {
        int i = _next;
        _next = i + 1 == _count ? 0 : i + 1;
        _mlp.Predict(_images.AsSpan(i * MlpClassifier.InputSize, MlpClassifier.InputSize), _output);
        return _output[0];
    }

    /// <summary>All 10 000 test images in one call (PyTorch ~0.9 M samples/s, i.e. ~11 ms).</summary>
    [Benchmark]
    public float PredictBatch10k()
    {
        _mlp.PredictBatch(_images, _outputs);
        return _outputs[0];
    }
}
