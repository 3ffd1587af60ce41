using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.IO;

namespace NetGen;

// The weight layouts: PyTorch's names and shapes beside Keras's, and the metadata that tells them apart.
public static partial class NetworkWeights
{
    private const string FormatKey = SafetensorsLayouts.FormatKey;
    private const string LayoutKey = SafetensorsLayouts.LayoutKey;
    private const string ModelKey = "model";

    /// <summary>
    /// Writes <paramref name="model"/>'s parameters to <paramref name="path"/> in <paramref name="layout"/>, atomically.
    /// </summary>
    /// <remarks>
    /// <para>In <see cref="WeightLayout.PyTorch"/> each Dense layer is an <c>nn.Linear</c>: <c>weight</c> holds the kernel
    /// transposed, <c>[units, inputs]</c>, and <c>bias</c> the bias. Each Conv2D is an <c>nn.Conv2d</c> (<c>weight</c>
    /// <c>[filters, cin, kh, kw]</c>, <c>bias</c>); each BatchNormalization an <c>nn.BatchNorm2d</c> (after an image) or
    /// <c>nn.BatchNorm1d</c>: <c>weight</c> (gamma), <c>bias</c> (beta), <c>running_mean</c>, <c>running_var</c>, and no
    /// <c>num_batches_tracked</c> (NetGen counts no batches; PyTorch fills in 0 when it loads the file, and a PyTorch
    /// file's counter is read past). A Flatten of an image orders features (h, w, c) in NetGen and (c, h, w) in PyTorch:
    /// the first Dense after it (and any per-feature statistics between them) is written in PyTorch's order.
    /// A Normalization layer's statistics are buffers of a
    /// module of its own: <c>mean</c> and <c>variance</c> (<c>[features]</c>) and <c>count</c> (<c>[1]</c>); PyTorch has no
    /// such layer, so the README shows the five-line module that computes (x − mean) / max(√variance, 1e-7) as NetGen
    /// does. Names follow the model's <c>nn.Sequential</c> (see <see cref="TensorNames"/>) unless
    /// <paramref name="names"/> maps a layer to a module name of the caller's.</para>
    /// <para>A file saved in <see cref="WeightLayout.PyTorch"/> loads with
    /// <c>model.load_state_dict(safetensors.torch.load_file(path))</c>.</para>
    /// </remarks>
    /// <param name="model">The network to save.</param>
    /// <param name="path">The file to create or replace (by convention <c>*.safetensors</c>).</param>
    /// <param name="layout">The names and tensor layout to write.</param>
    /// <param name="names">PyTorch only: module names by layer name, such as <c>{ ["hidden"] = "fc1" }</c>; layers left out keep their <c>nn.Sequential</c> index.</param>
    /// <param name="metadata">Extra string pairs for the header's <c>__metadata__</c>; <c>format</c>, <c>layout</c> and <c>model</c> are reserved.</param>
    /// <exception cref="ArgumentException"><paramref name="names"/> names a layer the model does not have, one without weights, or gives two layers one name; or <paramref name="layout"/> is Keras and <paramref name="names"/> is given.</exception>
    public static void SaveWeights(this Network model, string path, WeightLayout layout, IReadOnlyDictionary<string, string>? names = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!KerasOrPyTorch(layout, names))
        {
            model.SaveWeights(path, metadata);
            return;
        }

        var map = new PyTorchTensors(model.Info, names);
        List<KeyValuePair<string, string>> all = WithMetadata([new(FormatKey, "pt"), new(LayoutKey, "pytorch"), new(ModelKey, model.Info.Name)], metadata);
        float[] file;
        using (Threading.ModelOperation operation = model.BeginOperation())
        {
            file = map.ToFile(model.Parameters);
        }

        AtomicFile.Write(path, stream => SafeTensors.Write(stream, map.File, file, all));
    }

    /// <summary>
    /// Replaces <paramref name="model"/>'s parameters with those in the safetensors file at <paramref name="path"/>,
    /// held in <paramref name="layout"/>. The whole file is checked first; if anything does not match, nothing is changed.
    /// </summary>
    /// <remarks>
    /// A file whose metadata says it holds the other layout is refused, so a square kernel cannot load transposed. A
    /// file without a layout in its metadata, as PyTorch's <c>safetensors.torch.save_file</c> writes by default, is
    /// taken to be in <paramref name="layout"/>; its tensor names must then be that layout's (PyTorch's Dense weights
    /// are named <c>…weight</c>, Keras's <c>…kernel</c>), so a file in the other layout still fails, on its names.
    /// </remarks>
    /// <param name="model">The network to load into.</param>
    /// <param name="path">The safetensors file.</param>
    /// <param name="layout">The layout the file holds.</param>
    /// <param name="names">PyTorch only: the module names the file uses, by layer name, as given to <see cref="SaveWeights(Network, string, WeightLayout, IReadOnlyDictionary{string, string}?, IReadOnlyDictionary{string, string}?)"/>.</param>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, holds the other layout, does not hold exactly the tensors of <paramref name="layout"/> (names, F32, shapes), or holds a NaN or infinity; the message says which, and the model is unchanged.</exception>
    /// <exception cref="ArgumentException"><paramref name="names"/> is not a valid map for this model (see <see cref="TensorNames"/>).</exception>
    public static void LoadWeights(this Network model, string path, WeightLayout layout, IReadOnlyDictionary<string, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!KerasOrPyTorch(layout, names))
        {
            model.LoadWeights(path);
            return;
        }

        ArgumentException.ThrowIfNullOrEmpty(path);
        var map = new PyTorchTensors(model.Info, names);
        using Threading.ModelOperation operation = model.BeginOperation();
        CheckFileLayout(path, WeightLayout.PyTorch);
        float[] file = SafeTensors.ReadParameters(path, map.File, map.BatchCounters);
        CheckFinite(file, map.File, path);
        var parameters = new float[file.Length];
        map.FromFile(file, parameters);
        model.ReplaceParameters(parameters, loadedFromFile: true); // as the Keras layout: loaded statistics count as adapted
    }

    /// <summary>
    /// The name each of <paramref name="info"/>'s tensors has in a file of <paramref name="layout"/>, in
    /// <see cref="NetworkInfo.Tensors"/> order.
    /// </summary>
    /// <remarks>
    /// PyTorch's default names are those of the model written as an <c>nn.Sequential</c> with each activation a module
    /// of its own, as PyTorch code writes it: <c>[Dense(100, ReLU)] [Dropout] [Dense(10, Softmax)]</c> is
    /// <c>Sequential(Linear, ReLU, Dropout, Linear, Softmax)</c>, so its weights are <c>0.weight</c> and <c>3.weight</c>.
    /// A Dense layer with the linear activation takes one index, every other layer (Flatten, Dropout, Normalization)
    /// one, and a Dense layer with an activation two. Leaving out the last layer's softmax or sigmoid, as PyTorch code
    /// often does before a cross-entropy loss, changes no name.
    /// </remarks>
    /// <param name="info">The network's description (<c>model.Info</c>).</param>
    /// <param name="layout">The layout.</param>
    /// <param name="names">PyTorch only: module names by layer name for layers that should not keep their index.</param>
    /// <exception cref="ArgumentException"><paramref name="names"/> names a layer <paramref name="info"/> does not have, one without weights, gives an empty or dotted-at-the-end name, or gives two layers one name; or <paramref name="layout"/> is Keras and <paramref name="names"/> is given.</exception>
    public static IReadOnlyList<string> TensorNames(this NetworkInfo info, WeightLayout layout, IReadOnlyDictionary<string, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        return KerasOrPyTorch(layout, names)
            ? new PyTorchTensors(info, names).File.Tensors.Select(t => t.Name).ToList()
            : info.Tensors.Select(t => t.Name).ToList();
    }

    /// <summary>True for PyTorch; false for Keras, which takes no name map.</summary>
    private static bool KerasOrPyTorch(WeightLayout layout, IReadOnlyDictionary<string, string>? names)
    {
        switch (layout)
        {
            case WeightLayout.PyTorch:
                return true;
            case WeightLayout.Keras when names is null:
                return false;
            case WeightLayout.Keras:
                throw new ArgumentException("A name map applies to WeightLayout.PyTorch only: Keras's names are the layers' own (set them with Name = on the attribute).", nameof(names));
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), layout, "Not a defined WeightLayout.");
        }
    }

    /// <summary>Our metadata pairs, then the caller's, refusing the caller's use of a reserved key.</summary>
    /// <remarks>A list, not a dictionary, so the header lists the pairs in a fixed order.</remarks>
    private static List<KeyValuePair<string, string>> WithMetadata(List<KeyValuePair<string, string>> ours, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                ArgumentNullException.ThrowIfNull(entry.Value, nameof(metadata));
                if (entry.Key is FormatKey or LayoutKey or ModelKey)
                {
                    throw new ArgumentException($"The metadata key \"{entry.Key}\" is reserved: NetGen writes it itself.", nameof(metadata));
                }

                ours.Add(entry);
            }
        }

        return ours;
    }

    /// <summary>Refuses a file whose metadata names the other layout; a file that names none is judged by its tensor names.</summary>
    private static void CheckFileLayout(string path, WeightLayout requested)
    {
        WeightLayout held;
        switch (SafetensorsLayouts.Declared(SafeTensors.ReadMetadata(path), out string evidence))
        {
            case SafetensorsLayout.Keras:
                held = WeightLayout.Keras;
                break;
            case SafetensorsLayout.PyTorch:
                held = WeightLayout.PyTorch;
                break;
            case SafetensorsLayout.Unknown:
                throw new InvalidDataException($"Cannot load weights from '{path}': {SafetensorsLayouts.UnknownProblem(evidence)}. The model is unchanged.");
            default:
                return;
        }

        if (held != requested)
        {
            throw new InvalidDataException(
                $"Cannot load weights from '{path}': it holds {Describe(held)} (its metadata says {evidence}), but {Describe(requested)} was asked for. "
                + $"The two store a Dense kernel transposed, so a square layer would load wrong without an error: load it with WeightLayout.{held}. The model is unchanged.");
        }
    }

    private static string Describe(WeightLayout layout) => layout == WeightLayout.PyTorch
        ? "PyTorch's layout (WeightLayout.PyTorch: Linear weights as [out, in])"
        : "Keras's layout (WeightLayout.Keras: Dense kernels as [in, out])";

    /// <summary>Refuses weights with a NaN or infinity, naming the tensor and element as the file names them.</summary>
    private static void CheckFinite(float[] parameters, NetworkInfo info, string path)
    {
        int bad = Training.DataChecks.IndexOfNonFinite(parameters);
        if (bad < 0)
        {
            return;
        }

        // Saved from a model that had diverged: loading it would only make every prediction NaN.
        foreach (TensorInfo t in info.Tensors)
        {
            if (bad >= t.Offset && bad < t.Offset + t.Length)
            {
                throw new InvalidDataException(
                    $"'{path}' holds {parameters[bad].ToString(CultureInfo.InvariantCulture)} in tensor {t.Name}, element {bad - t.Offset}: weights must be finite numbers. The model is unchanged.");
            }
        }
    }
}
