using System;
using System.Collections.Generic;
using System.IO;
using NetGen.IO;

namespace NetGen;

/// <summary>
/// Saves and loads a network's parameters as a <a href="https://github.com/huggingface/safetensors">safetensors</a>
/// file (Keras's <c>save_weights</c>/<c>load_weights</c>).
/// </summary>
/// <remarks>
/// <para>Each tensor is stored under its <see cref="TensorInfo.Name"/> (<c>layer.kernel</c>, <c>layer.bias</c>) as
/// little-endian float32 with its declared shape. A Dense kernel is <c>[inputs, units]</c>, Keras's layout: a
/// PyTorch <c>nn.Linear</c> weight is <c>[out_features, in_features]</c>, its transpose, so transpose when moving
/// weights between the two (the biases are the same). The header's <c>__metadata__</c> records
/// <c>"format": "netgen"</c> and <c>"model": "&lt;class name&gt;"</c>.</para>
/// <para>Files written by other tools load too, if they hold exactly the network's tensors as F32 with the same
/// names and shapes; the metadata is optional and the model name in it is not checked, so weights move freely
/// between classes of the same architecture.</para>
/// </remarks>
public static partial class NetworkWeights
{
    /// <summary>
    /// Writes <paramref name="model"/>'s parameters to <paramref name="path"/>, atomically: the file is either the
    /// old one or the complete new one, never a torn mix, even if the write fails.
    /// </summary>
    /// <param name="model">The network to save.</param>
    /// <param name="path">The file to create or replace (by convention <c>*.safetensors</c>).</param>
    /// <param name="metadata">Extra string pairs for the header's <c>__metadata__</c>, such as the epoch; <c>format</c> and <c>model</c> are reserved.</param>
    public static void SaveWeights(this Network model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using Threading.ModelOperation operation = model.BeginOperation(); // no torn snapshot of weights another thread is training
        // A list, not a dictionary, so the header lists the pairs in a fixed order: ours, then the caller's.
        List<KeyValuePair<string, string>> all = [new("format", "netgen"), new("model", model.Info.Name)];
        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                ArgumentNullException.ThrowIfNull(entry.Value, nameof(metadata));
                if (entry.Key is "format" or "model")
                {
                    throw new ArgumentException($"The metadata key \"{entry.Key}\" is reserved: NetGen writes it itself.", nameof(metadata));
                }

                all.Add(entry);
            }
        }

        // Snapshot the parameters first: the writer runs later, and a span cannot be captured by the delegate.
        float[] parameters = model.Parameters.ToArray();
        NetworkInfo info = model.Info;
        AtomicFile.Write(path, stream => SafeTensors.Write(stream, info, parameters, all));
    }

    /// <summary>
    /// Replaces <paramref name="model"/>'s parameters with those in the safetensors file at <paramref name="path"/>.
    /// The whole file is checked first; if anything does not match, nothing is changed.
    /// </summary>
    /// <remarks>The optimizer's state (such as Adam's moments) is left as it is; call <c>model.Optimizer.Reset()</c> to start it afresh, or save and load it with the weights through <see cref="SaveCheckpoint"/> and <see cref="LoadCheckpoint"/>.</remarks>
    /// <exception cref="InvalidDataException">
    /// The file is not a valid safetensors file, does not hold exactly <paramref name="model"/>'s tensors as F32
    /// with the same names and shapes, or holds a NaN or infinity. The message names the file and what is wrong; the
    /// model is unchanged.
    /// </exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void LoadWeights(this Network model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Threading.ModelOperation operation = model.BeginOperation();
        float[] parameters = SafeTensors.ReadParameters(path, model.Info);
        int bad = Training.DataChecks.IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            // Saved from a model that had diverged: loading it would only make every prediction NaN.
            foreach (TensorInfo t in model.Info.Tensors)
            {
                if (bad >= t.Offset && bad < t.Offset + t.Length)
                {
                    throw new InvalidDataException(
                        $"'{path}' holds {parameters[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} in tensor {t.Name}, element {bad - t.Offset}: weights must be finite numbers. The model is unchanged.");
                }
            }
        }

        parameters.CopyTo(model.Parameters);
    }

    /// <summary>The header's <c>__metadata__</c> pairs of the safetensors file at <paramref name="path"/> (empty if it has none).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    public static IReadOnlyDictionary<string, string> ReadWeightsMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SafeTensors.ReadMetadata(path);
    }
}
