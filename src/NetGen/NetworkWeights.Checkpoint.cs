using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.IO;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen;

public static partial class NetworkWeights
{
    private const string OptimizerKey = "optimizer";
    private const string SlotsKey = "optimizer.slots";
    private const string IterationsKey = "optimizer.iterations";
    private const string LearningRateKey = "optimizer.learning_rate";
    private const string EpochKey = "epoch";
    private const string SeedKey = "training.seed";
    private const string SamplesKey = "training.samples";
    private const string ShufflesKey = "training.shuffles";
    private const string RngKey = "training.dropout_rng";
    private const string FitSeedsKey = "training.fit_seeds";

    /// <summary>The metadata keys a checkpoint writes itself (with <c>format</c> and <c>model</c>).</summary>
    private static readonly string[] s_checkpointKeys =
        [OptimizerKey, SlotsKey, IterationsKey, LearningRateKey, EpochKey, SeedKey, SamplesKey, ShufflesKey, RngKey, FitSeedsKey];

    /// <summary>
    /// Writes a checkpoint to resume training from: <paramref name="model"/>'s parameters (as <see cref="SaveWeights(Network, string, IReadOnlyDictionary{string, string}?)"/>),
    /// its optimizer's state, and where its training stands, in one safetensors file written atomically. This is what
    /// Keras keeps in a <c>.keras</c> file besides the weights, and PyTorch users save as the optimizer's
    /// <c>state_dict</c> with the epoch and the RNG state.
    /// </summary>
    /// <remarks>
    /// <para>The optimizer's slots are stored as tensors named <c>optimizer.&lt;slot&gt;.&lt;tensor&gt;</c> (for Adam
    /// <c>optimizer.momentum.dense.kernel</c>, <c>optimizer.velocity.dense.kernel</c>…, Keras's slot names), shaped like
    /// their tensor. The metadata says what they are: <c>optimizer</c> (the type), <c>optimizer.slots</c>,
    /// <c>optimizer.iterations</c> and <c>optimizer.learning_rate</c>; <c>epoch</c>, the epochs completed; and the
    /// state of the last <c>Fit</c>'s shuffles and dropout masks (<c>training.seed</c>, <c>training.samples</c>,
    /// <c>training.shuffles</c>, <c>training.dropout_rng</c>).</para>
    /// <para>Load it with <see cref="LoadCheckpoint"/> and continue with <c>Fit(…, initialEpoch: epoch)</c>: the result
    /// is bit for bit that of a run that never stopped. Saved from a callback's <c>OnEpochEnd</c>, it holds that epoch.</para>
    /// </remarks>
    /// <param name="model">The network to save.</param>
    /// <param name="path">The file to create or replace (by convention <c>*.safetensors</c>).</param>
    /// <param name="metadata">Extra string pairs for the header's <c>__metadata__</c>; the keys NetGen writes are reserved.</param>
    /// <exception cref="InvalidOperationException">The optimizer holds state for a buffer other than this model's trainable parameters.</exception>
    public static void SaveCheckpoint(this Network model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using Threading.ModelOperation operation = model.BeginOperation();
        NetworkInfo info = model.Info;
        Optimizer optimizer = model.Optimizer;
        if (optimizer.Iterations > 0 && optimizer.StateSize != info.TrainableParameterCount)
        {
            throw new InvalidOperationException(
                $"{model.Info.Name}'s {optimizer.GetType().Name} holds state for {optimizer.StateSize} parameters, not the model's {info.TrainableParameterCount} trainable ones: it was stepped on another buffer, so there is no optimizer state of this model to save.");
        }

        List<KeyValuePair<string, string>> all =
        [
            new("format", "netgen"),
            new("model", info.Name),
            new(OptimizerKey, optimizer.GetType().Name),
            new(SlotsKey, string.Join(",", optimizer.SlotNames)),
            new(IterationsKey, optimizer.Iterations.ToString(CultureInfo.InvariantCulture)),
            new(LearningRateKey, optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture)),
            new(EpochKey, (model.Progress?.Epoch ?? 0).ToString(CultureInfo.InvariantCulture)),

            // The seeds of later Fits without one of their own: a resumed seeded model goes on drawing the same ones.
            new(FitSeedsKey, StateText(model.FitSeeds)),
        ];
        if (model.Progress is { } progress)
        {
            all.Add(new(SeedKey, progress.Seed.ToString(CultureInfo.InvariantCulture)));
            all.Add(new(SamplesKey, progress.Samples.ToString(CultureInfo.InvariantCulture)));
            all.Add(new(ShufflesKey, progress.Shuffles.ToString(CultureInfo.InvariantCulture)));
            all.Add(new(RngKey, StateText(model.TrainingRng)));
        }

        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                ArgumentNullException.ThrowIfNull(entry.Value, nameof(metadata));
                if (entry.Key is "format" or "model" || s_checkpointKeys.Contains(entry.Key))
                {
                    throw new ArgumentException($"The metadata key \"{entry.Key}\" is reserved: NetGen writes it itself.", nameof(metadata));
                }

                all.Add(entry);
            }
        }

        // One buffer: the parameters, then each slot over the trainable prefix. Snapshots, as in SaveWeights.
        float[][] slots = optimizer.Iterations > 0 ? optimizer.StateSlots : [];
        List<TensorInfo> tensors = CheckpointTensors(info, optimizer.Iterations > 0 ? optimizer.SlotNames : []);
        var buffer = new float[info.ParameterCount + (slots.Length * info.TrainableParameterCount)];
        model.Parameters.CopyTo(buffer);
        for (int s = 0; s < slots.Length; s++)
        {
            slots[s].AsSpan(0, info.TrainableParameterCount).CopyTo(buffer.AsSpan(info.ParameterCount + (s * info.TrainableParameterCount)));
        }

        AtomicFile.Write(path, stream => SafeTensors.Write(stream, tensors, buffer, all));
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/>: the parameters, the optimizer's state (slots,
    /// step count, learning rate) and where training stood. Returns the epochs completed, the <c>initialEpoch</c> for
    /// the <c>Fit</c> that continues the run. The whole file is checked first; if anything does not match, neither the
    /// model nor its optimizer is changed.
    /// </summary>
    /// <remarks>
    /// The model must be compiled with an optimizer of the same type (and the same slots, such as momentum on or off) as
    /// the one saved: as in Keras, its hyperparameters come from the code, its state from the file.
    /// </remarks>
    /// <exception cref="InvalidDataException">
    /// The file is not a checkpoint (weights saved by <see cref="SaveWeights(Network, string, IReadOnlyDictionary{string, string}?)"/> have no optimizer state), holds another
    /// optimizer's state, or does not hold exactly this model's tensors; the message names the file and what differs.
    /// </exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static int LoadCheckpoint(this Network model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Threading.ModelOperation operation = model.BeginOperation();
        NetworkInfo info = model.Info;
        Optimizer optimizer = model.Optimizer;
        string type = optimizer.GetType().Name;
        Dictionary<string, string> metadata = SafeTensors.ReadMetadata(path);
        if (!metadata.TryGetValue(OptimizerKey, out string? saved))
        {
            throw Invalid(path, "it holds weights without optimizer state (written by SaveWeights, or by another tool): load it with LoadWeights, or save a checkpoint with SaveCheckpoint");
        }

        if (saved != type)
        {
            throw Invalid(path, $"it holds the state of a {saved} optimizer, but {info.Name} is compiled with a {type}: compile it with a new {saved}(…) before loading");
        }

        long iterations = Number(metadata, IterationsKey, path, long.Parse);
        string[] slotNames = Text(metadata, SlotsKey, path) is { Length: > 0 } names ? names.Split(',') : [];
        if (iterations > 0 && !slotNames.SequenceEqual(optimizer.SlotNames))
        {
            throw Invalid(path, $"its {saved} keeps the slots [{string.Join(", ", slotNames)}], but {info.Name}'s keeps [{string.Join(", ", optimizer.SlotNames)}]: compile it with the same {saved} options (momentum, centered) as the saved one");
        }

        float learningRate = Number(metadata, LearningRateKey, path, float.Parse);
        int epoch = Number(metadata, EpochKey, path, int.Parse);
        if (iterations < 0 || epoch < 0 || !(learningRate > 0f) || float.IsInfinity(learningRate))
        {
            throw Invalid(path, $"its {IterationsKey} {iterations}, {LearningRateKey} {learningRate} or {EpochKey} {epoch} is out of range");
        }

        Rng? fitSeeds = metadata.ContainsKey(FitSeedsKey) ? ReadState(metadata, FitSeedsKey, path) : null;

        TrainingState? progress = null;
        Rng? dropout = null;
        if (metadata.ContainsKey(SeedKey))
        {
            progress = new TrainingState(Number(metadata, SeedKey, path, int.Parse), Number(metadata, SamplesKey, path, int.Parse), epoch)
            {
                Shuffles = Number(metadata, ShufflesKey, path, int.Parse),
            };
            dropout = ReadState(metadata, RngKey, path);
        }

        int slots = iterations > 0 ? slotNames.Length : 0;
        int trainable = info.TrainableParameterCount;
        float[] buffer;
        try
        {
            buffer = SafeTensors.ReadTensors(path, CheckpointTensors(info, slotNames.Take(slots).ToArray()), info.ParameterCount + (slots * trainable), info.Name);
        }
        catch (InvalidDataException e)
        {
            // Another model's checkpoint, or a damaged file: the reader names the tensors or bytes that differ.
            throw new InvalidDataException(e.Message + " The model and its optimizer are unchanged.", e);
        }

        int bad = DataChecks.IndexOfNonFinite(buffer.AsSpan(0, info.ParameterCount));
        if (bad >= 0)
        {
            throw Invalid(path, $"it holds {buffer[bad].ToString(CultureInfo.InvariantCulture)} among the weights, at parameter {bad}: weights must be finite numbers");
        }

        // Everything is read and checked: only now does anything change.
        var state = new float[slots][];
        for (int s = 0; s < slots; s++)
        {
            state[s] = buffer.AsSpan(info.ParameterCount + (s * trainable), trainable).ToArray();
        }

        model.ReplaceParameters(buffer.AsSpan(0, info.ParameterCount), loadedFromFile: true);
        optimizer.RestoreState(iterations, learningRate, trainable, state);
        model.Progress = progress;
        if (fitSeeds is not null)
        {
            model.FitSeeds = fitSeeds;
        }

        if (dropout is not null)
        {
            model.TrainingRng = dropout;
        }

        return epoch;
    }

    /// <summary>A generator's state as checkpoint metadata: its words in hexadecimal, comma-separated.</summary>
    private static string StateText(Rng rng) => string.Join(",", rng.SaveState().Select(w => w.ToString("x8", CultureInfo.InvariantCulture)));

    /// <summary>The generator <see cref="StateText"/> wrote under <paramref name="key"/>.</summary>
    private static Rng ReadState(Dictionary<string, string> metadata, string key, string path)
    {
        try
        {
            return Rng.FromState(Text(metadata, key, path).Split(',').Select(w => uint.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray());
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Invalid(path, $"its {key} is not a generator state", e);
        }
    }

    /// <summary>The model's tensors, then one tensor per slot and trainable tensor, laid out in one buffer.</summary>
    private static List<TensorInfo> CheckpointTensors(NetworkInfo info, string[] slots)
    {
        var tensors = new List<TensorInfo>(info.Tensors);
        for (int s = 0; s < slots.Length; s++)
        {
            int start = info.ParameterCount + (s * info.TrainableParameterCount);
            foreach (TensorInfo t in info.Tensors)
            {
                if (t.Trainable)
                {
                    tensors.Add(new TensorInfo($"{OptimizerKey}.{slots[s]}.{t.Name}", t.Shape, start + t.Offset, t.Length, false));
                }
            }
        }

        return tensors;
    }

    private static string Text(Dictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out string? value) ? value : throw Invalid(path, $"its metadata has no {key}");

    private static T Number<T>(Dictionary<string, string> metadata, string key, string path, Func<string, IFormatProvider, T> parse)
    {
        string text = Text(metadata, key, path);
        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw Invalid(path, $"its {key} \"{text}\" is not a number", e);
        }
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"Cannot load the checkpoint '{path}': {problem}. The model and its optimizer are unchanged.", inner);
}
