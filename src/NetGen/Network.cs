using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Threading;
using NetGen.Training;

namespace NetGen;

/// <summary>
/// Base of every generated network. The generator writes the fixed-shape math (forward, backward, loss,
/// initialization) for one declared model; this class holds the parameters and offers the Keras-style API:
/// <see cref="Fit(Dataset, int, int, bool, int?, int, IReadOnlyList{Callback}?, double, Dataset?, IReadOnlyDictionary{int, float}?, IReadOnlyList{float}?, int)"/>, <see cref="Evaluate(Dataset, int, IReadOnlyList{float}?)"/> and <c>Predict</c>.
/// </summary>
/// <remarks>
/// One instance serves any number of threads: predictions and evaluations only read it, each with activation scratch
/// of its own, and see the weights of one completed training step even while <c>Fit</c> runs on another thread (see
/// <see cref="PredictBatch"/>). Training (<c>Fit</c>, <c>Forward</c>/<c>Backward</c>) and replacing the weights run on one
/// thread at a time.
/// </remarks>
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

    /// <summary>
    /// The most floats of inference scratch one batch-prediction chunk may take (16 MB per predicting thread). A
    /// convolutional model keeps every layer's output per sample (the Keras convnet about 71 000 floats), so 256 rows
    /// would hold 73 MB per thread; its products split their own work by pixels, so shorter chunks cost it nothing.
    /// </summary>
    private const int MaxPredictScratchFloats = 4 * 1024 * 1024;

    /// <summary>Rows per chunk of <see cref="PredictBatch"/>, fixed by the layers' widths; internal for tests.</summary>
    internal int PredictChunk { get; }

    private readonly float[] _parameters;
    private float[]? _gradients;   // allocated by the first training step (or a read of Gradients): inference never needs it
    private readonly WeightsGate _weights = new();
    private int _forwardBatch;     // batch of the last training Forward, 0 if the last was inference
    private int _forwardCompleted; // batch of the last Forward of either kind
    private int _owner;            // managed thread id inside a public operation, 0 when none (see ModelOperation)
    private Optimizer _optimizer = new Adam();
    private readonly Regularization? _regularization; // the kernels' L2 penalties, if any are declared
    private bool _statisticsLoaded;           // LoadWeights set the adapted statistics (a file may hold count 0)

    /// <summary>
    /// Not for use: a model's constructor of the user's own that does not call <c>this(seed)</c> binds to this one, so
    /// the build shows NetGen's NG0018 ("call the generated constructor") rather than a C# error about this class's
    /// constructor. It always throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected Network()
        : this(NotChained())
    {
    }

    /// <summary>Allocates the parameter and gradient buffers for <paramref name="info"/>.</summary>
    protected Network(NetworkInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Info = info;
        _parameters = new float[info.ParameterCount];
        _regularization = Regularization.Of(info);
        TrainingRng = new Rng(0);
        FitSeeds = new Rng(0);
        _optimizer.AttachTo(this); // the default Adam is this model's too: handing it to another model is refused

        // In whole row groups of the GEMM (64 rows), so that no chunk ends in stray single rows.
        int byWidth = Math.Clamp(PredictChunkFloats / Math.Max(1, WidestActivation) / 64 * 64, MinPredictChunk, MaxPredictChunk);
        PredictChunk = Math.Max(1, Math.Min(byWidth, MaxPredictScratchFloats / Math.Max(1, InferenceScratchPerSample)));
    }

    /// <summary>
    /// Floats per sample of the widest buffer a forward pass writes (sizes <see cref="PredictChunk"/>). Generated from
    /// what the layers declare, as a constant; read once, by the constructor. A hand-made subclass gets the widest
    /// layer output.
    /// </summary>
    protected virtual int WidestActivation
    {
        get
        {
            int widest = 1;
            foreach (LayerInfo layer in Info.Layers)
            {
                widest = Math.Max(widest, layer.OutputSize);
            }

            return widest;
        }
    }

    /// <summary>Shapes, loss, layers and parameter layout, fixed at build time.</summary>
    public NetworkInfo Info { get; }

    /// <summary>All parameters in one contiguous buffer; <see cref="NetworkInfo.Tensors"/> says where each tensor lives.</summary>
    public Span<float> Parameters => _parameters;

    /// <summary>
    /// The gradient of the loss for every parameter, laid out like <see cref="Parameters"/>; written by each training
    /// step. Allocated on first use, so a model that only predicts costs about its parameters.
    /// </summary>
    public Span<float> Gradients => _gradients ?? AllocateGradients();

    /// <summary>The parameters the optimizer updates: a prefix of <see cref="Parameters"/> (non-trainable statistics come last).</summary>
    public Span<float> TrainableParameters => _parameters.AsSpan(0, Info.TrainableParameterCount);

    /// <summary>The gradients of <see cref="TrainableParameters"/>.</summary>
    public Span<float> TrainableGradients => Gradients[..Info.TrainableParameterCount];

    /// <summary>Whether the gradients have been allocated (by training, or a read of <see cref="Gradients"/>); for tests.</summary>
    internal bool HasGradients => _gradients is not null;

    private float[] AllocateGradients()
    {
        Interlocked.CompareExchange(ref _gradients, new float[_parameters.Length], null);
        return _gradients;
    }

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

    /// <summary>The generator that draws dropout masks; <see cref="InitializeParameters(long?)"/> and <c>Fit</c> seed it.</summary>
    protected internal Rng TrainingRng { get; internal set; }

    /// <summary>Where the last <c>Fit</c> run stands (null before any), for <c>initialEpoch</c> and checkpoints.</summary>
    internal TrainingState? Progress { get; set; }

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

    /// <summary>
    /// Re-initializes every parameter (Glorot-uniform kernels, zero biases, a Normalization layer's identity statistics,
    /// which then need <see cref="Adapt(Dataset)"/> again) resets the optimizer and forgets the last training run (see <c>initialEpoch</c>). The rule is Keras's: random unless
    /// seeded. A <paramref name="seed"/> fixes the weights and also the seeds of every later <c>Fit</c> called without
    /// one of its own (its shuffling and dropout) and of the dropout in a hand-written training loop, so a seeded model
    /// trains the same way on every run; without a seed all of these are drawn at random.
    /// </summary>
    /// <param name="seed">The seed, or null to draw one at random.</param>
    public void InitializeParameters(long? seed = null)
    {
        using ModelOperation operation = BeginOperation();
        using WeightsGate.Write write = BeginWeightsWrite();
        long s = seed ?? Random.Shared.NextInt64();
        _parameters.AsSpan().Clear();
        InitializeParameters(new Rng(s));
        _optimizer.Reset();

        // A stream of its own, apart from the weights' (the golden ratio's bits, as SplitMix64 uses them).
        FitSeeds = new Rng(s ^ unchecked((long)0x9E3779B97F4A7C15));
        TrainingRng = new Rng(~(long)NextFitSeed());
        _statisticsLoaded = false;
        Progress = null; // a fresh start: no earlier run to resume
    }

    /// <summary>The seed of a <c>Fit</c> called without one: drawn from the model's own seed (see <see cref="InitializeParameters(long?)"/>).</summary>
    internal int NextFitSeed() => (int)FitSeeds.NextUInt32();

    /// <summary>The stream each Fit called without a seed draws its seed from (see <see cref="InitializeParameters(long?)"/>); saved with checkpoints.</summary>
    internal Rng FitSeeds { get; set; }

    /// <summary>
    /// False while the model has a Normalization layer whose statistics were never set: neither <see cref="Adapt(Dataset)"/>
    /// nor <see cref="NetworkWeights.LoadWeights(Network, string)"/> (nor a copy of an adapted model's parameters) filled them, so they
    /// are still the identity (mean 0, variance 1). True for a model without a Normalization layer.
    /// </summary>
    public bool IsAdapted => AdaptedLayer is null || _statisticsLoaded || StatisticsAdapted;

    /// <summary>
    /// The name of the layer whose statistics <see cref="Adapt(Dataset)"/> sets (a Normalization layer), or null when
    /// the model has none. Generated, with <see cref="StatisticsAdapted"/> and <see cref="AdaptCore"/>, by the layer that needs it.
    /// </summary>
    protected virtual string? AdaptedLayer => null;

    /// <summary>Whether <see cref="AdaptedLayer"/>'s statistics were computed (its sample count is positive).</summary>
    protected virtual bool StatisticsAdapted => true;

    /// <summary>
    /// Computes and stores <see cref="AdaptedLayer"/>'s statistics from <paramref name="count"/> samples of
    /// <paramref name="features"/>; called under the weights write lock, with data already checked.
    /// </summary>
    protected virtual void AdaptCore(ReadOnlySpan<float> features, int count) =>
        throw new InvalidOperationException($"{Info.Name} has no Normalization layer to adapt: add [Normalization] before its first Dense layer.");

    /// <summary>Refuses to run a model whose Normalization layer was never adapted, as Keras does.</summary>
    internal void ThrowIfNotAdapted()
    {
        if (!IsAdapted)
        {
            ThrowNotAdapted();
        }
    }

    private void ThrowNotAdapted()
    {
        throw new InvalidOperationException(
            $"{Info.Name}'s Normalization layer '{AdaptedLayer}' was never adapted, so it would standardize with mean 0 and variance 1: " +
            "call model.Adapt(trainingData) with the training features before Fit, Evaluate or Predict (or LoadWeights to load saved statistics).");
    }

    /// <summary>
    /// Replaces every parameter with <paramref name="values"/> as one weights write, so predictions on other threads see
    /// the old weights or the new, never a mix. <paramref name="loadedFromFile"/>: the values come from a weights file or
    /// checkpoint, whose Normalization statistics count as adapted even with a count of 0 (a file from another tool).
    /// </summary>
    internal void ReplaceParameters(ReadOnlySpan<float> values, bool loadedFromFile)
    {
        using WeightsGate.Write write = BeginWeightsWrite();
        values.CopyTo(_parameters);
        _statisticsLoaded |= loadedFromFile;
    }

    /// <summary>
    /// As <see cref="ReplaceParameters"/> from a file, for values <paramref name="write"/> puts straight into the buffer
    /// (compiled-in weights, decoded in place: one pass, no copy in between).
    /// </summary>
    internal void WriteParameters(Action<Span<float>> write)
    {
        using WeightsGate.Write gate = BeginWeightsWrite();
        write(_parameters);
        _statisticsLoaded = true;
    }

    /// <summary>
    /// Computes the statistics of the model's Normalization layer from <paramref name="data"/>'s features, as Keras's
    /// <c>adapt</c>: per-feature mean and (population) variance, in double precision with two passes, and the sample
    /// count. Call it on the training data before <c>Fit</c>.
    /// </summary>
    public void Adapt(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (AdaptedLayer is null)
        {
            AdaptCore(default, 0); // throws: nothing to adapt
        }

        if (data.FeatureSize != Info.InputSize || data.Count == 0)
        {
            throw new ArgumentException($"{Info.Name} adapts to samples of {Info.InputSize} features; the data has {data.Count} samples of {data.FeatureSize}.", nameof(data));
        }

        // A NaN here would only show up later, as a loss that is NaN from the first step.
        Training.DataChecks.ValidateFeatures(data, nameof(data));
        using ModelOperation operation = BeginOperation();
        using WeightsGate.Write write = BeginWeightsWrite();
        AdaptCore(data.Features, data.Count);
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

    /// <summary>Calls <see cref="CreateInstance"/>, which the generated model overrides.</summary>
    internal Network NewInstance() => CreateInstance();

    /// <summary>
    /// The state a copy takes over (see <see cref="NetworkCopies.Clone{T}"/>): the parameters, Normalization
    /// statistics included, whether they were loaded, and the seed streams, so the copy trains as the original would.
    /// </summary>
    internal void CopyStateTo(Network copy)
    {
        using ModelOperation operation = BeginOperation();
        _parameters.CopyTo(copy._parameters);
        copy._statisticsLoaded = _statisticsLoaded;
        copy.FitSeeds = FitSeeds.Copy();
        copy.TrainingRng = TrainingRng.Copy();
    }

    /// <summary>
    /// A new, freshly initialized instance of this model's class, for <see cref="NetworkCopies.Clone{T}"/>; generated
    /// for every model.
    /// </summary>
    protected virtual Network CreateInstance() =>
        throw new NotSupportedException($"{GetType().Name} cannot be cloned: only classes generated by NetGen's [Sequential] know how to create a copy of themselves.");

    /// <summary>
    /// Runs one sample through the network into <paramref name="output"/>, allocating nothing (after a thread's first call).
    /// Safe from any number of threads at once, with no lock; see <see cref="PredictBatch"/> for what it sees during <c>Fit</c>.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        CheckLength(input.Length, Info.InputSize, "input");
        CheckLength(output.Length, Info.OutputSize, "output");
        ThrowIfNotAdapted();
        float[] scratch = ScratchCache.Rent(InferenceScratchPerSample);
        int version = _weights.EnterRead();
        bool pinned = false;
        try
        {
            do
            {
                InferCore(input, 1, scratch).CopyTo(output);
            }
            while (!_weights.TryExitRead(ref version, ref pinned));
        }
        finally
        {
            if (pinned)
            {
                _weights.Unpin();
            }
        }

        ScratchCache.Return(scratch);
    }

    /// <summary>Runs one sample through the network and returns a new output array.</summary>
    public float[] Predict(ReadOnlySpan<float> input)
    {
        var output = new float[Info.OutputSize];
        Predict(input, output);
        return output;
    }

    /// <summary>
    /// Runs many samples (rows of <paramref name="inputs"/>, row-major) into <paramref name="outputs"/>, allocating
    /// nothing once warm.
    /// </summary>
    /// <remarks>
    /// Predictions (<c>Predict</c>, <c>PredictBatch</c>) and <c>Evaluate</c> may run on one instance from any number of
    /// threads at once, each with its own activation scratch, and give the same bits as the same calls made one after
    /// another. While <c>Fit</c> trains the instance on another thread, each call answers with the weights of one
    /// completed training step, never a mix of two (it is computed again if a step changed the weights under it, and
    /// a call that had to start over holds the next step back until it is done). The same holds for
    /// <see cref="NetworkWeights.LoadWeights(Network, string)"/>, <see cref="InitializeParameters(long?)"/> and <see cref="Adapt(Dataset)"/>.
    /// Writes made directly into <see cref="Parameters"/> are not coordinated: make them while nothing predicts, or
    /// train a second instance and swap it in.
    /// </remarks>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int inSize = Info.InputSize, outSize = Info.OutputSize;
        if (inputs.Length % inSize != 0)
        {
            throw new ArgumentException($"Expected rows of {inSize} inputs; {inputs.Length} values are not a whole number of rows.", nameof(inputs));
        }

        int rows = inputs.Length / inSize;
        CheckLength(outputs.Length, rows * outSize, "outputs");
        if (rows == 0)
        {
            return;
        }

        ThrowIfNotAdapted();
        float[] scratch = ScratchCache.Rent(Math.Min(rows, PredictChunk) * InferenceScratchPerSample);
        int version = _weights.EnterRead();
        bool pinned = false;
        try
        {
            do
            {
                for (int start = 0; start < rows; start += PredictChunk)
                {
                    int n = Math.Min(PredictChunk, rows - start);
                    InferCore(inputs.Slice(start * inSize, n * inSize), n, scratch).CopyTo(outputs.Slice(start * outSize, n * outSize));
                }
            }
            while (!_weights.TryExitRead(ref version, ref pinned));
        }
        finally
        {
            if (pinned)
            {
                _weights.Unpin();
            }
        }

        ScratchCache.Return(scratch);
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
    /// <param name="seed">Seeds shuffling and dropout; null takes the next seed from the model's own (see <see cref="InitializeParameters(long?)"/>): fixed for a seeded model, random for an unseeded one.</param>
    /// <param name="verbose">0 silent; 1 a progress bar; 2 one line per epoch.</param>
    /// <param name="callbacks">Hooks such as <see cref="EarlyStopping"/> or <see cref="LearningRateScheduler"/>.</param>
    /// <param name="validationSplit">Fraction of <paramref name="data"/> held out for validation: its last samples, before shuffling.</param>
    /// <param name="validationData">Explicit validation data (takes precedence over <paramref name="validationSplit"/>).</param>
    /// <param name="classWeight">Keras's <c>class_weight</c>, for imbalanced classes: each training sample's loss (and gradient) is multiplied by its class's weight; classes left out weigh 1.</param>
    /// <param name="sampleWeight">Keras's <c>sample_weight</c>: one weight per sample of <paramref name="data"/>; not together with <paramref name="classWeight"/>.</param>
    /// <param name="initialEpoch">
    /// The epoch to start at (Keras's <c>initial_epoch</c>; <paramref name="epochs"/> is then where training ends):
    /// after <see cref="NetworkWeights.LoadCheckpoint"/>, pass the epoch it returns to continue that run exactly.
    /// </param>
    public History Fit(Dataset data, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null, int initialEpoch = 0) =>
        Trainer.Fit(this, data, new FitOptions(epochs, batchSize, shuffle, seed, verbose, callbacks ?? [], validationSplit, validationData,
            ClassWeight: classWeight, SampleWeight: sampleWeight, InitialEpoch: initialEpoch));

    /// <summary>Trains on rows of <paramref name="x"/> with target rows <paramref name="y"/>; see <see cref="Fit(Dataset, int, int, bool, int?, int, IReadOnlyList{Callback}?, double, Dataset?, IReadOnlyDictionary{int, float}?, IReadOnlyList{float}?, int)"/>.</summary>
    public History Fit(float[,] x, float[,] y, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null, int initialEpoch = 0) =>
        Fit(Dataset.From(x, y), epochs, batchSize, shuffle, seed, verbose, callbacks, validationSplit, validationData, classWeight, sampleWeight, initialEpoch);

    /// <summary>Trains on rows of <paramref name="x"/> with one target value per sample.</summary>
    public History Fit(float[,] x, float[] y, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null, int initialEpoch = 0) =>
        Fit(Dataset.From(x, y), epochs, batchSize, shuffle, seed, verbose, callbacks, validationSplit, validationData, classWeight, sampleWeight, initialEpoch);

    /// <summary>Trains on rows of <paramref name="x"/> with one class label per sample.</summary>
    public History Fit(float[,] x, int[] labels, int epochs = 1, int batchSize = 32, bool shuffle = true, int? seed = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, Dataset? validationData = null,
        IReadOnlyDictionary<int, float>? classWeight = null, IReadOnlyList<float>? sampleWeight = null, int initialEpoch = 0) =>
        Fit(Dataset.From(x, labels), epochs, batchSize, shuffle, seed, verbose, callbacks, validationSplit, validationData, classWeight, sampleWeight, initialEpoch);

    /// <summary>
    /// Mean loss (and accuracy, for classification) over <paramref name="data"/>, in inference mode. Safe from any number
    /// of threads at once, beside predictions; during <c>Fit</c> on another thread, the whole evaluation sees the weights of
    /// one completed step (see <see cref="PredictBatch"/>), with or without <paramref name="sampleWeight"/>.
    /// </summary>
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
    /// training loop, PyTorch style. Like <c>Fit</c>, they use the model's own training buffers, so one thread at a time
    /// runs them (another gets an <see cref="InvalidOperationException"/>); to predict from many threads use <c>Predict</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> inputs, int batchSize, bool training = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckLength(inputs.Length, batchSize * Info.InputSize, "inputs");
        ThrowIfNotAdapted();
        using ModelOperation operation = BeginOperation();
        _forwardBatch = training ? batchSize : 0;
        _forwardCompleted = batchSize;
        if (training && TrainingForwardWritesWeights)
        {
            // The pass updates tensors in place (BatchNormalization's moving statistics): a weights write, so a
            // concurrent Predict sees the statistics of one completed step, never half of an update.
            using WeightsGate.Write write = BeginWeightsWrite();
            return ForwardCore(inputs, batchSize, training);
        }

        return ForwardCore(inputs, batchSize, training);
    }

    /// <summary>
    /// Whether a training <see cref="Forward"/> writes into the parameters (a layer with moving statistics): generated
    /// from what the layers declare, so the base class names no layer kind.
    /// </summary>
    protected virtual bool TrainingForwardWritesWeights => false;

    /// <summary>
    /// After a training <see cref="Forward"/> of the same <paramref name="inputs"/>: returns the mean loss and writes every
    /// parameter's gradient into <see cref="Gradients"/> (overwriting them). The inputs are passed again rather than kept.
    /// Kernels with an L2 regularizer (<see cref="DenseAttribute.KernelL2"/>) add L2·Σw² to the loss and 2·L2·w to their gradients.
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
        float loss = BackwardCore(inputs, targets, batchSize);
        _regularization?.AddGradient(_parameters, _gradients);
        return WithPenalty(loss);
    }

    /// <summary><paramref name="dataLoss"/> plus the kernels' L2 penalties, if any are declared (Keras adds them to every reported loss).</summary>
    private float WithPenalty(float dataLoss) =>
        _regularization is null ? dataLoss : (float)(dataLoss + _regularization.Penalty(_parameters));

    /// <summary>
    /// After any <see cref="Forward"/> of <paramref name="batchSize"/> samples: the mean loss of its outputs against
    /// <paramref name="targets"/>, plus the kernels' L2 penalties if any are declared (as Keras's evaluation loss).
    /// </summary>
    public float ComputeLoss(ReadOnlySpan<float> targets, int batchSize)
    {
        if (_forwardCompleted != batchSize)
        {
            throw new InvalidOperationException($"ComputeLoss needs a Forward of {batchSize} samples first.");
        }

        CheckLength(targets.Length, batchSize * Info.TargetSize, "targets");
        using ModelOperation operation = BeginOperation();
        float loss = ComputeLossCore(targets, batchSize);
        return WithPenalty(loss);
    }

    /// <summary>
    /// Claims this model for the calling thread for one public operation (see <see cref="ModelOperation"/>): a second
    /// thread gets a clear error instead of sharing the activation buffers.
    /// </summary>
    internal ModelOperation BeginOperation() => ModelOperation.Enter(ref _owner, Info.Name);

    /// <summary>The sequence lock that keeps predictions on other threads from seeing weights half changed.</summary>
    internal WeightsGate Weights => _weights;

    /// <summary>
    /// Starts a change of <see cref="Parameters"/> that predictions on other threads must not see half done (a training
    /// step, loaded weights); dispose it when the change is complete. Call it inside <see cref="BeginOperation"/>.
    /// </summary>
    internal WeightsGate.Write BeginWeightsWrite() => _weights.BeginWrite();

    /// <summary>The inference pass into <paramref name="scratch"/>, for <c>Evaluate</c>.</summary>
    internal ReadOnlySpan<float> Infer(ReadOnlySpan<float> inputs, int batchSize, Span<float> scratch) => InferCore(inputs, batchSize, scratch);

    /// <summary>The loss of the outputs the last <see cref="Infer"/> left in <paramref name="scratch"/>, for <c>Evaluate</c>.</summary>
    internal float InferenceLoss(ReadOnlySpan<float> scratch, ReadOnlySpan<float> targets, int batchSize, ReadOnlySpan<float> sampleWeights = default)
    {
        float loss = InferenceLossCore(scratch, targets, batchSize, sampleWeights);
        return WithPenalty(loss);
    }

    /// <summary>Floats of inference scratch per sample; for <c>Evaluate</c>.</summary>
    internal int InferenceScratchFloats => InferenceScratchPerSample;

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

    /// <summary>Floats of scratch the inference pass needs per sample.</summary>
    protected abstract int InferenceScratchPerSample { get; }

    /// <summary>
    /// The generated forward pass in inference mode, with every activation in <paramref name="scratch"/> (at least
    /// <paramref name="batchSize"/> × <see cref="InferenceScratchPerSample"/> floats) rather than in the model: it only
    /// reads the model, so any number of threads may run it at once. Returns the outputs, a slice of the scratch. The
    /// same kernels as <see cref="ForwardCore"/>, so the same bits.
    /// </summary>
    protected abstract ReadOnlySpan<float> InferCore(ReadOnlySpan<float> inputs, int batchSize, Span<float> scratch);

    /// <summary>
    /// The generated loss of the outputs an <see cref="InferCore"/> call left in <paramref name="scratch"/>, each sample's
    /// loss weighted by <paramref name="sampleWeights"/> (empty: unweighted), as Keras's <c>sample_weight</c>.
    /// </summary>
    protected abstract float InferenceLossCore(ReadOnlySpan<float> scratch, ReadOnlySpan<float> targets, int batchSize, ReadOnlySpan<float> sampleWeights);

    /// <summary>Fills <see cref="Parameters"/> with initial values drawn from <paramref name="rng"/>.</summary>
    protected abstract void InitializeParameters(Rng rng);

    private static void CheckLength(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected {what} of length {expected}, received {actual}.", what);
        }
    }

    private static NetworkInfo NotChained() => throw new InvalidOperationException(
        "A model's constructor must call the generated one, with ': this(seed)' (NG0018); this one called NetGen.Network's.");
}

/// <summary>The result of <see cref="Network.Evaluate(Dataset, int, IReadOnlyList{float}?)"/>.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Accuracy">Accuracy for classification losses, else null.</param>
/// <param name="MeanAbsoluteError">Mean absolute error, for regression losses.</param>
/// <param name="R2">Coefficient of determination R², averaged over the outputs, for regression losses.</param>
public sealed record Evaluation(float Loss, float? Accuracy, float? MeanAbsoluteError = null, float? R2 = null)
{
    /// <summary>The compiled metrics' values by Keras name (<c>precision</c>, <c>auc</c>, <c>mae</c>, …), as Keras's <c>evaluate(return_dict=True)</c>.</summary>
    public IReadOnlyDictionary<string, float> Metrics { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, float>.Empty;

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
