using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Threading;
using NetGen.Training;

namespace NetGen;

/// <summary>
/// Base of every generated network. The generator writes the fixed-shape math (forward, backward, loss,
/// initialization) for one declared model; this class holds the parameters and offers the Keras-style API:
/// <see cref="Fit(Dataset, int, int, bool, int?, int, IReadOnlyList{Callback}?, double, Dataset?, IReadOnlyDictionary{int, float}?, IReadOnlyList{float}?)"/>, <see cref="Evaluate(Dataset, int, IReadOnlyList{float}?)"/> and <c>Predict</c>.
/// </summary>
public abstract class Network
{
    /// <summary>
    /// Floats per activation buffer that a batch prediction's chunk may fill (512 KiB), for layers up to 512 wide; wider
    /// ones keep the <see cref="MinPredictChunk"/> rows the chunks had before.
    /// </summary>
    private const int PredictChunkFloats = 128 * 1024;

    /// <summary>The fewest rows per batch-prediction chunk, however wide the layers: each chunk reads all of W once.</summary>
    private const int MinPredictChunk = 256;

    /// <summary>The most rows per batch-prediction chunk.</summary>
    /// <remarks>
    /// Long chunks pay: each one's first product reads all of W, so 1 024 rows read it a quarter as often as 256. The
    /// MLP's 784×100 product ran 572 → 477 µs per 1 000 rows on two cores, and predicting the 10 000 test images took
    /// 6.93-7.26 → 5.78-6.15 ms (five alternating processes each). The buffers only grow: after a batch prediction the
    /// MLP keeps about 1.7 MB of them instead of 0.4.
    /// </remarks>
    private const int MaxPredictChunk = 1024;

    /// <summary>Rows per chunk of <see cref="PredictBatch"/>, fixed by the layers' widths; internal for tests.</summary>
    internal int PredictChunk { get; }

    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private int _forwardBatch;     // batch of the last training Forward, 0 if the last was inference
    private int _forwardCompleted; // batch of the last Forward of either kind
    private int _owner;            // managed thread id inside a public operation, 0 when none (see ModelOperation)
    private Optimizer _optimizer = new Adam();

    /// <summary>Allocates the parameter and gradient buffers for <paramref name="info"/>.</summary>
    protected Network(NetworkInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Info = info;
        _parameters = new float[info.ParameterCount];
        _gradients = new float[info.ParameterCount];
        TrainingRng = new Rng(0);
        _optimizer.AttachTo(this); // the default Adam is this model's too: handing it to another model is refused

        // Every layer but Flatten (a free reshape) has activation buffers as wide as its output.
        int widest = 1;
        foreach (LayerInfo layer in info.Layers)
        {
            widest = layer.Kind == LayerKind.Flatten ? widest : Math.Max(widest, layer.OutputSize);
        }

        // In whole row groups of the GEMM (64 rows), so that no chunk ends in stray single rows.
        PredictChunk = Math.Clamp(PredictChunkFloats / widest / 64 * 64, MinPredictChunk, MaxPredictChunk);
    }

    /// <summary>Shapes, loss, layers and parameter layout, fixed at build time.</summary>
    public NetworkInfo Info { get; }

    /// <summary>All parameters in one contiguous buffer; <see cref="NetworkInfo.Tensors"/> says where each tensor lives.</summary>
    public Span<float> Parameters => _parameters;

    /// <summary>The gradient of the loss for every parameter, laid out like <see cref="Parameters"/>; written by each training step.</summary>
    public Span<float> Gradients => _gradients;

    /// <summary>The parameters the optimizer updates: a prefix of <see cref="Parameters"/> (non-trainable statistics come last).</summary>
    public Span<float> TrainableParameters => _parameters.AsSpan(0, Info.TrainableParameterCount);

    /// <summary>The gradients of <see cref="TrainableParameters"/>.</summary>
    public Span<float> TrainableGradients => _gradients.AsSpan(0, Info.TrainableParameterCount);

    /// <summary>The optimizer <c>Fit</c> uses. Defaults to <see cref="Adam"/> with Keras's defaults.</summary>
    public Optimizer Optimizer
    {
        get => _optimizer;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (ReferenceEquals(value, _optimizer))
            {
                return;
            }

            // One optimizer instance per model, as in Keras: its moments and step count belong to one set of
            // parameters, and two models of the same size would otherwise share them without any error.
            using ModelOperation operation = BeginOperation();
            value.AttachTo(this);
            _optimizer.Detach(this);
            _optimizer = value;
        }
    }

    /// <summary>Set by a callback to end <c>Fit</c>: after the current batch when set in <c>OnBatchEnd</c> (the epoch then ends early, with its validation and <c>OnEpochEnd</c>), after the current epoch when set in <c>OnEpochEnd</c>.</summary>
    public bool StopTraining { get; set; }

    /// <summary>The generator that draws dropout masks; <c>Fit</c> reseeds it from its seed.</summary>
    protected internal Rng TrainingRng { get; internal set; }

    /// <summary>
    /// Sets the optimizer and the metrics <c>Fit</c> and <c>Evaluate</c> measure besides the loss and accuracy, like
    /// Keras's <c>compile</c> (the loss is fixed by the model declaration): for example
    /// <c>Compile(new Adam(), [Metric.Precision, Metric.Recall, Metric.Auc])</c>. A metric that does not fit the output
    /// (precision on a softmax, top-k with k ≥ classes) or is given twice throws here; null or empty measures none.
    /// </summary>
    public void Compile(Optimizer optimizer, IReadOnlyList<Metric>? metrics = null)
    {
        Metric[] compiled = Metric.CheckAll(Info, metrics);
        Optimizer = optimizer;
        CompiledMetrics = compiled;
    }

    /// <summary>The metrics set by the last <see cref="Compile"/>.</summary>
    public IReadOnlyList<Metric> CompiledMetrics { get; private set; } = [];

    /// <summary>Re-initializes every parameter from <paramref name="seed"/> (Glorot-uniform kernels, zero biases) and resets the optimizer.</summary>
    public void InitializeParameters(long seed)
    {
        using ModelOperation operation = BeginOperation();
        _parameters.AsSpan().Clear();
        InitializeParameters(new Rng(seed));
        _optimizer.Reset();
    }

    /// <summary>
    /// Computes the statistics of the model's Normalization layer from <paramref name="data"/>'s features, as Keras's
    /// <c>adapt</c>: per-feature mean and (population) variance, in double precision with two passes, and the sample
    /// count. Call it on the training data before <c>Fit</c>.
    /// </summary>
    public void Adapt(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        LayerInfo layer = NormalizationLayer();
        if (data.FeatureSize != Info.InputSize || data.Count == 0)
        {
            throw new ArgumentException($"{Info.Name} adapts to samples of {Info.InputSize} features; the data has {data.Count} samples of {data.FeatureSize}.", nameof(data));
        }

        // A NaN here would only show up later, as a loss that is NaN from the first step.
        Training.DataChecks.ValidateFeatures(data, nameof(data));
        using ModelOperation operation = BeginOperation();

        int features = layer.InputSize, n = data.Count;
        var mean = new double[features];
        var variance = new double[features];
        ReadOnlySpan<float> x = data.Features;
        for (int r = 0; r < n; r++)
        {
            for (int f = 0; f < features; f++)
            {
                mean[f] += x[(r * features) + f];
            }
        }

        for (int f = 0; f < features; f++)
        {
            mean[f] /= n;
        }

        for (int r = 0; r < n; r++)
        {
            for (int f = 0; f < features; f++)
            {
                double d = x[(r * features) + f] - mean[f];
                variance[f] += d * d;
            }
        }

        Span<float> meanTensor = Tensor(layer.Name + ".mean"), varianceTensor = Tensor(layer.Name + ".variance");
        for (int f = 0; f < features; f++)
        {
            meanTensor[f] = (float)mean[f];
            varianceTensor[f] = (float)(variance[f] / n);
        }

        Tensor(layer.Name + ".count")[0] = n;
    }

    /// <summary>Adapts the Normalization layer to the rows of <paramref name="x"/>; see <see cref="Adapt(Dataset)"/>.</summary>
    public void Adapt(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Adapt(new Dataset(Dataset.Flatten(x), Math.Max(1, x.GetLength(1)), new float[x.GetLength(0)], 1));
    }

    /// <summary>A named parameter tensor (for example <c>hidden.kernel</c>) as a span of <see cref="Parameters"/>.</summary>
    public Span<float> Tensor(string name)
    {
        foreach (TensorInfo t in Info.Tensors)
        {
            if (t.Name == name)
            {
                return _parameters.AsSpan(t.Offset, t.Length);
            }
        }

        throw new ArgumentException($"{Info.Name} has no tensor '{name}'; it has {string.Join(", ", System.Linq.Enumerable.Select(Info.Tensors, t => t.Name))}.", nameof(name));
    }

    private LayerInfo NormalizationLayer()
    {
        foreach (LayerInfo layer in Info.Layers)
        {
            if (layer.Kind == LayerKind.Normalization)
            {
                return layer;
            }
        }

        throw new InvalidOperationException($"{Info.Name} has no Normalization layer to adapt: add [Normalization] before its first Dense layer.");
    }

    /// <summary>Runs one sample through the network into <paramref name="output"/>, allocating nothing.</summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        using ModelOperation operation = BeginOperation();
        CheckLength(input.Length, Info.InputSize, "input");
        CheckLength(output.Length, Info.OutputSize, "output");
        Forward(input, 1, training: false).CopyTo(output);
    }

    /// <summary>Runs one sample through the network and returns a new output array.</summary>
    public float[] Predict(ReadOnlySpan<float> input)
    {
        var output = new float[Info.OutputSize];
        Predict(input, output);
        return output;
    }

    /// <summary>Runs many samples (rows of <paramref name="inputs"/>, row-major) into <paramref name="outputs"/>.</summary>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int inSize = Info.InputSize, outSize = Info.OutputSize;
        if (inputs.Length % inSize != 0)
        {
            throw new ArgumentException($"Expected rows of {inSize} inputs; {inputs.Length} values are not a whole number of rows.", nameof(inputs));
        }

        int rows = inputs.Length / inSize;
        CheckLength(outputs.Length, rows * outSize, "outputs");
        using ModelOperation operation = BeginOperation();
        for (int start = 0; start < rows; start += PredictChunk)
        {
            int n = Math.Min(PredictChunk, rows - start);
            Forward(inputs.Slice(start * inSize, n * inSize), n, training: false).CopyTo(outputs.Slice(start * outSize, n * outSize));
        }
    }

    /// <summary>Runs the rows of <paramref name="inputs"/> through the network; one output row per input row.</summary>
    public float[,] Predict(float[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckLength(inputs.GetLength(1), Info.InputSize, "input row");
        var flat = Dataset.Flatten(inputs);
        var outputs = new float[inputs.GetLength(0), Info.OutputSize];
        var flatOut = new float[outputs.Length];
        PredictBatch(flat, flatOut);
        Buffer.BlockCopy(flatOut, 0, outputs, 0, flatOut.Length * sizeof(float));
        return outputs;
    }

    /// <summary>Trains on <paramref name="data"/>, Keras style; see <see cref="Trainer"/>.</summary>
    /// <param name="data">Training samples and targets.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Samples per gradient step (the last batch of an epoch may be smaller).</param>
    /// <param name="shuffle">Reshuffle the training samples before each epoch.</param>
    /// <param name="seed">Seeds shuffling and dropout; null draws a seed.</param>
    /// <param name="verbose">0 silent; 1 a progress bar; 2 one line per epoch.</param>
    /// <param name="callbacks">Hooks such as <see cref="EarlyStopping"/> or <see cref="LearningRateScheduler"/>.</param>
    /// <param name="validationSplit">Fraction of <paramref name="data"/> held out for validation: its last samples, before shuffling.</param>
    /// <param name="validationData">Explicit validation data (takes precedence over <paramref name="validationSplit"/>).</param>
    /// <param name="classWeight">Keras's <c>class_weight</c>, for imbalanced classes: each training sample's loss (and gradient) is multiplied by its class's weight; classes left out weigh 1.</param>
    /// <param name="sampleWeight">Keras's <c>sample_weight</c>: one weight per sample of <paramref name="data"/>; not together with <paramref name="classWeight"/>.</param>
    public History Fit(Dataset data, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null) =>
        Trainer.Fit(this, data, new FitOptions(epochs, batchSize, shuffle, seed, verbose, callbacks ?? [], validationSplit, validationData, classWeight, sampleWeight));

    /// <summary>Trains on rows of <paramref name="x"/> with target rows <paramref name="y"/>; see <see cref="Fit(Dataset, int, int, bool, int?, int, IReadOnlyList{Callback}?, double, Dataset?, IReadOnlyDictionary{int, float}?, IReadOnlyList{float}?)"/>.</summary>
    public History Fit(float[,] x, float[,] y, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null) =>
        Fit(Dataset.From(x, y), epochs, batchSize, shuffle, seed, verbose, callbacks, validationSplit, validationData, classWeight, sampleWeight);

    /// <summary>Trains on rows of <paramref name="x"/> with one target value per sample.</summary>
    public History Fit(float[,] x, float[] y, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null) =>
        Fit(Dataset.From(x, y), epochs, batchSize, shuffle, seed, verbose, callbacks, validationSplit, validationData, classWeight, sampleWeight);

    /// <summary>Trains on rows of <paramref name="x"/> with one class label per sample.</summary>
    public History Fit(float[,] x, int[] labels, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null) =>
        Fit(Dataset.From(x, labels), epochs, batchSize, shuffle, seed, verbose, callbacks, validationSplit, validationData, classWeight, sampleWeight);

    /// <summary>Mean loss (and accuracy, for classification) over <paramref name="data"/>, in inference mode.</summary>
    /// <param name="data">The samples and targets.</param>
    /// <param name="batchSize">Samples per forward pass.</param>
    /// <param name="sampleWeight">Keras's <c>sample_weight</c>: one weight per sample for the loss (see <see cref="Trainer.Evaluate(Network, Dataset, int, IReadOnlyList{float}?)"/>).</param>
    public Evaluation Evaluate(Dataset data, int batchSize = 32, IReadOnlyList<float>? sampleWeight = null) => Trainer.Evaluate(this, data, batchSize, sampleWeight);

    /// <summary>Mean loss (and accuracy) over rows of <paramref name="x"/> and target rows <paramref name="y"/>.</summary>
    public Evaluation Evaluate(float[,] x, float[,] y, int batchSize = 32, IReadOnlyList<float>? sampleWeight = null) => Evaluate(Dataset.From(x, y), batchSize, sampleWeight);

    /// <summary>Mean loss (and accuracy) over rows of <paramref name="x"/>, one target value per sample.</summary>
    public Evaluation Evaluate(float[,] x, float[] y, int batchSize = 32, IReadOnlyList<float>? sampleWeight = null) => Evaluate(Dataset.From(x, y), batchSize, sampleWeight);

    /// <summary>Mean loss (and accuracy) over rows of <paramref name="x"/>, one class label per sample.</summary>
    public Evaluation Evaluate(float[,] x, int[] labels, int batchSize = 32, IReadOnlyList<float>? sampleWeight = null) => Evaluate(Dataset.From(x, labels), batchSize, sampleWeight);

    /// <summary>
    /// Runs <paramref name="batchSize"/> samples (rows of <paramref name="inputs"/>) forward and returns the outputs,
    /// valid until the next call. In training mode dropout is active and the intermediate values are kept for
    /// <see cref="Backward"/>: together with <see cref="Optimizer"/>'s <c>Step</c> these are the pieces of a custom
    /// training loop, PyTorch style.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> inputs, int batchSize, bool training = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckLength(inputs.Length, batchSize * Info.InputSize, "inputs");
        using ModelOperation operation = BeginOperation();
        _forwardBatch = training ? batchSize : 0;
        _forwardCompleted = batchSize;
        return ForwardCore(inputs, batchSize, training);
    }

    /// <summary>
    /// After a training <see cref="Forward"/> of the same <paramref name="inputs"/>: returns the mean loss and writes every
    /// parameter's gradient into <see cref="Gradients"/> (overwriting them). The inputs are passed again rather than kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize)
    {
        if (_forwardBatch != batchSize)
        {
            throw new InvalidOperationException(
                $"Backward needs a training Forward of the same {batchSize} samples just before it: call Forward(inputs, {batchSize}, training: true) first.");
        }

        CheckLength(inputs.Length, batchSize * Info.InputSize, "inputs");
        CheckLength(targets.Length, batchSize * Info.TargetSize, "targets");
        using ModelOperation operation = BeginOperation();
        return BackwardCore(inputs, targets, batchSize);
    }

    /// <summary>After any <see cref="Forward"/> of <paramref name="batchSize"/> samples: the mean loss of its outputs against <paramref name="targets"/>.</summary>
    public float ComputeLoss(ReadOnlySpan<float> targets, int batchSize)
    {
        if (_forwardCompleted != batchSize)
        {
            throw new InvalidOperationException($"ComputeLoss needs a Forward of {batchSize} samples first.");
        }

        CheckLength(targets.Length, batchSize * Info.TargetSize, "targets");
        using ModelOperation operation = BeginOperation();
        return ComputeLossCore(targets, batchSize);
    }

    /// <summary>
    /// Claims this model for the calling thread for one public operation (see <see cref="ModelOperation"/>): a second
    /// thread gets a clear error instead of sharing the activation buffers.
    /// </summary>
    internal ModelOperation BeginOperation() => ModelOperation.Enter(ref _owner, Info.Name);

    /// <summary>
    /// The current training step's sample weights (Keras's <c>class_weight</c>/<c>sample_weight</c>, one per sample of
    /// the batch) that the generated loss applies; empty outside <c>Fit</c>'s weighted steps, so a plain loss then.
    /// </summary>
    protected ReadOnlySpan<float> SampleWeights => _sampleWeights.AsSpan(0, _sampleWeightCount);

    /// <summary>Sets (or with null clears) the weights <see cref="SampleWeights"/> returns: <c>Fit</c> sets them around one step.</summary>
    internal void UseSampleWeights(float[]? weights, int count)
    {
        _sampleWeights = weights;
        _sampleWeightCount = weights is null ? 0 : count;
    }

    private float[]? _sampleWeights;
    private int _sampleWeightCount;

    /// <summary>Whether <c>Fit</c> is running on this model (on the thread that owns it), so that a callback cannot start another.</summary>
    internal bool Fitting { get; set; }

    /// <summary>The generated forward pass; arguments are already checked.</summary>
    protected abstract ReadOnlySpan<float> ForwardCore(ReadOnlySpan<float> inputs, int batchSize, bool training);

    /// <summary>The generated backward pass; arguments are already checked.</summary>
    protected abstract float BackwardCore(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize);

    /// <summary>The generated loss of the last forward pass; arguments are already checked.</summary>
    protected abstract float ComputeLossCore(ReadOnlySpan<float> targets, int batchSize);

    /// <summary>Fills <see cref="Parameters"/> with initial values drawn from <paramref name="rng"/>.</summary>
    protected abstract void InitializeParameters(Rng rng);

    private static void CheckLength(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected {what} of length {expected}, received {actual}.", what);
        }
    }
}

/// <summary>The result of <see cref="Network.Evaluate(Dataset, int, IReadOnlyList{float}?)"/>.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Accuracy">Accuracy for classification losses, else null.</param>
/// <param name="MeanAbsoluteError">Mean absolute error, for regression losses.</param>
/// <param name="R2">Coefficient of determination R², averaged over the outputs, for regression losses.</param>
public sealed record Evaluation(float Loss, float? Accuracy, float? MeanAbsoluteError = null, float? R2 = null)
{
    /// <summary>The compiled metrics' values by Keras name (<c>precision</c>, <c>auc</c>, <c>mae</c>, …), as Keras's <c>evaluate(return_dict=True)</c>.</summary>
    public IReadOnlyDictionary<string, float> Metrics { get; init; } = new Dictionary<string, float>();

    /// <summary>Equal figures, the compiled metrics compared by name and value.</summary>
    public bool Equals(Evaluation? other)
    {
        if (other is null || !Loss.Equals(other.Loss) || !Nullable.Equals(Accuracy, other.Accuracy) ||
            !Nullable.Equals(MeanAbsoluteError, other.MeanAbsoluteError) || !Nullable.Equals(R2, other.R2) || Metrics.Count != other.Metrics.Count)
        {
            return false;
        }

        foreach (var (name, value) in Metrics)
        {
            if (!other.Metrics.TryGetValue(name, out float v) || !value.Equals(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Loss, Accuracy, MeanAbsoluteError, R2, Metrics.Count);
}
