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
/// little-endian float32 with its declared shape. A Dense kernel is <c>[inputs, units]</c>, Keras's layout. The
/// header's <c>__metadata__</c> records <c>"format": "netgen"</c> and <c>"model": "&lt;class name&gt;"</c>.
/// <see cref="WeightLayout.PyTorch"/> saves and loads PyTorch's names and layout instead (<c>0.weight</c> as
/// <c>[out_features, in_features]</c>, <c>0.bias</c>), marked <c>"format": "pt"</c>, <c>"layout": "pytorch"</c>.</para>
/// <para>A file whose metadata names one layout does not load in the other: the error names both. Files written by
/// other tools load too, if they hold exactly the network's tensors as F32 with the names and shapes of the layout
/// asked for; a file without a layout in its metadata (PyTorch's <c>save_file</c> writes none) is taken to be in the
/// layout asked for, and its names decide, since a PyTorch file names every Dense <c>…weight</c> and a Keras file
/// <c>…kernel</c>. The model name in the metadata is not checked, so weights move freely between classes of the same
/// architecture.</para>
/// </remarks>
public static partial class NetworkWeights
{
    /// <summary>
    /// Writes <paramref name="model"/>'s parameters to <paramref name="path"/>, atomically: the file is either the
    /// old one or the complete new one, never a torn mix, even if the write fails.
    /// </summary>
    /// <param name="model">The network to save.</param>
    /// <param name="path">The file to create or replace (by convention <c>*.safetensors</c>).</param>
    /// <param name="metadata">Extra string pairs for the header's <c>__metadata__</c>, such as the epoch; <c>format</c>, <c>layout</c> and <c>model</c> are reserved.</param>
    public static void SaveWeights(this Network model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using Threading.ModelOperation operation = model.BeginOperation(); // no torn snapshot of weights another thread is training
        List<KeyValuePair<string, string>> all = WithMetadata([new(FormatKey, "netgen"), new(ModelKey, model.Info.Name)], metadata);

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
    /// The file is not a valid safetensors file, its metadata says it holds PyTorch's layout (load it with
    /// <see cref="WeightLayout.PyTorch"/>), it does not hold exactly <paramref name="model"/>'s tensors as F32
    /// with the same names and shapes, or it holds a NaN or infinity. The message names the file and what is wrong; the
    /// model is unchanged.
    /// </exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void LoadWeights(this Network model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Threading.ModelOperation operation = model.BeginOperation();
        CheckFileLayout(path, WeightLayout.Keras);
        float[] parameters = SafeTensors.ReadParameters(path, model.Info);
        CheckFinite(parameters, model.Info, path);
        model.ReplaceParameters(parameters, loadedFromFile: true);
    }

    /// <summary>The header's <c>__metadata__</c> pairs of the safetensors file at <paramref name="path"/> (empty if it has none).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    public static IReadOnlyDictionary<string, string> ReadWeightsMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SafeTensors.ReadMetadata(path);
    }
}
