using System;
using BenchmarkDotNet.Attributes;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Benchmarks;

/// <summary>
/// One training step at batch 32, as a custom loop does it: Forward (training), Backward, then the optimizer's Step on
/// TrainableParameters/TrainableGradients. Batches are consecutive rows of the real training set, read in place.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private const int BatchSize = 32;
    private MlpClassifier _mlp = null!;
    private SoftmaxClassifier _softmax = null!;
    private float[] _features = [];
    private float[] _targets = [];
    private int _batches;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        Dataset train = BenchmarkData.Train;
        _features = train.Features.ToArray();
        _targets = train.Targets.ToArray();
        _batches = train.Count / BatchSize;
        _mlp = new MlpClassifier(seed: 42);
        _mlp.Compile(new Adam());
        _softmax = new SoftmaxClassifier(seed: 42);
        _softmax.Compile(new RmsProp());
    }

    /// <summary>MLP 784-100-10 with dropout, Adam: the step an MLP epoch repeats 1875 times.</summary>
    [Benchmark]
    public float MlpStep() => Step(_mlp);

    /// <summary>Softmax 784-10, RMSprop.</summary>
    [Benchmark]
    public float SoftmaxStep() => Step(_softmax);

    private float Step(Network model)
    {
        int batch = _next;
        _next = (_next + 1) % _batches;
        ReadOnlySpan<float> x = _features.AsSpan(batch * BatchSize * model.Info.InputSize, BatchSize * model.Info.InputSize);
        ReadOnlySpan<float> y = _targets.AsSpan(batch * BatchSize, BatchSize);
        model.Forward(x, BatchSize, training: true);
        float loss = model.Backward(x, y, BatchSize);
        model.Optimizer.Step(model.TrainableParameters, model.TrainableGradients);
        return loss;
    }
}

/// <summary>
/// One epoch of Fit over the 60 000 Fashion-MNIST training images, batch 32, shuffled, verbose 0 (so each Fit also
/// checks the data once, as every user call does). Training continues from one iteration to the next.
/// </summary>
[MemoryDiagnoser]
public class EpochBenchmarks
{
    private Dataset _train = null!;
    private MlpClassifier _mlp = null!;
    private SoftmaxClassifier _softmax = null!;
    private int _seed;

    [GlobalSetup]
    public void Setup()
    {
        _train = BenchmarkData.Train;
        _mlp = new MlpClassifier(seed: 42);
        _mlp.Compile(new Adam());
        _softmax = new SoftmaxClassifier(seed: 42);
        _softmax.Compile(new RmsProp());
    }

    /// <summary>MLP 784-100-Dropout(0.3)-10, Adam (the peers' mlp: PyTorch 0.84 s, scikit-learn 0.72 s).</summary>
    [Benchmark]
    public History MlpEpoch() => _mlp.Fit(_train, epochs: 1, batchSize: 32, seed: _seed++, verbose: 0);

    /// <summary>Softmax 784-10, RMSprop (PyTorch 0.24 s).</summary>
    [Benchmark]
    public History SoftmaxEpoch() => _softmax.Fit(_train, epochs: 1, batchSize: 32, seed: _seed++, verbose: 0);
}

/// <summary>XOR 2-2-1 trained from scratch: 5000 full-batch epochs of Adam(0.01), as samples/Xor does (PyTorch 0.78 s).</summary>
[MemoryDiagnoser]
public class XorBenchmarks
{
    private Dataset _data = null!;
    private XorNet _xor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchmarkData.Xor();
        _xor = new XorNet(seed: 7);
        _xor.Compile(new Adam(0.01f));
    }

    [Benchmark]
    public History Xor5000Epochs()
    {
        _xor.InitializeParameters(7);
        return _xor.Fit(_data, epochs: 5000, batchSize: 4, seed: 7, verbose: 0);
    }
}
