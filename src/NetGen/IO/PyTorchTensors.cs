using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.IO;

/// <summary>
/// A network's tensors as a PyTorch file holds them, named after the module's index in the equivalent
/// <c>nn.Sequential</c> or the caller's name for it: each Dense kernel transposed to an <c>nn.Linear</c> weight
/// (<c>[units, inputs]</c>), each Conv2D kernel reordered to an <c>nn.Conv2d</c> weight (<c>[filters, cin, kh, kw]</c>),
/// each BatchNormalization's tensors under <c>nn.BatchNorm1d/2d</c>'s names. PyTorch's <c>nn.Flatten</c> of an NCHW
/// image orders the features (c, h, w), NetGen's NHWC (h, w, c): the per-feature tensors after such a Flatten (a
/// BatchNormalization's, a Normalization's) and the input rows of the first Dense after it are permuted to PyTorch's
/// order. Each file tensor has the same offset and length as its NetGen tensor, so the two buffers differ only in the
/// order of values inside the reordered tensors.
/// </summary>
internal sealed class PyTorchTensors
{
    /// <summary>The name every BatchNormalization's batch counter has in PyTorch, which NetGen neither keeps nor writes.</summary>
    public const string BatchCounter = "num_batches_tracked";

    /// <summary>Per reordered tensor: its offset and, for each of its values in the file, where that value is in NetGen's tensor.</summary>
    private readonly List<(int Offset, int[] Source)> _reordered = [];

    /// <exception cref="ArgumentException"><paramref name="names"/> is not a valid map for <paramref name="model"/>.</exception>
    /// <exception cref="NotSupportedException">The model has a layer kind whose PyTorch layout is not defined (a kind added after this mapping).</exception>
    public PyTorchTensors(NetworkInfo model, IReadOnlyDictionary<string, string>? names)
    {
        // A kind added later needs its module, names and layout decided here first: refuse it rather than write a file
        // with misread tensors.
        foreach (LayerInfo layer in model.Layers)
        {
            if (layer.Kind is not (LayerKind.Dense or LayerKind.Dropout or LayerKind.Flatten or LayerKind.Normalization or LayerKind.Activation
                or LayerKind.Conv2D or LayerKind.MaxPooling2D or LayerKind.AveragePooling2D or LayerKind.GlobalAveragePooling2D or LayerKind.BatchNormalization))
            {
                throw new NotSupportedException(
                    $"WeightLayout.PyTorch does not support layer '{layer.Name}' of kind {layer.Kind} in {model.Name} yet: save its weights in NetGen's (Keras's) layout.");
            }
        }

        Dictionary<string, string> modules = ModuleNames(model, names);
        Dictionary<string, int[]> flattened = FlattenedFeatures(model);
        var tensors = new List<TensorInfo>(model.Tensors.Count);
        var taken = new Dictionary<string, string>(StringComparer.Ordinal); // file name → NetGen name
        var counters = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorInfo t in model.Tensors)
        {
            // NetGen names tensors "<layer>.<what>"; layer names are identifiers, so the last dot splits them.
            int dot = t.Name.LastIndexOf('.');
            string layer = t.Name[..dot], what = t.Name[(dot + 1)..];
            LayerKind kind = model.Layers.First(l => l.Name == layer).Kind;
            IReadOnlyList<int> shape = t.Shape;
            flattened.TryGetValue(layer, out int[]? order); // the layer reads a flattened image: PyTorch's (c, h, w) order
            if (kind == LayerKind.Dense && what == "kernel")
            {
                what = "weight";
                shape = [t.Shape[1], t.Shape[0]];
                _reordered.Add((t.Offset, LinearWeight(t.Shape[0], t.Shape[1], order)));
            }
            else if (kind == LayerKind.Conv2D && what == "kernel")
            {
                what = "weight";
                shape = [t.Shape[3], t.Shape[2], t.Shape[0], t.Shape[1]];
                _reordered.Add((t.Offset, ConvWeight(t.Shape[0], t.Shape[1], t.Shape[2], t.Shape[3])));
            }
            else if (order is not null && kind is LayerKind.BatchNormalization or LayerKind.Normalization && t.Length == order.Length)
            {
                // A per-feature vector after the Flatten (BatchNormalization's four, Normalization's mean and variance).
                _reordered.Add((t.Offset, order));
            }

            if (kind == LayerKind.BatchNormalization)
            {
                what = what switch
                {
                    "gamma" => "weight",
                    "beta" => "bias",
                    "moving_mean" => "running_mean",
                    "moving_variance" => "running_var",
                    _ => what,
                };
                counters.Add(modules[layer] + "." + BatchCounter);
            }

            string name = modules[layer] + "." + what;
            if (!taken.TryAdd(name, t.Name))
            {
                throw new ArgumentException(
                    $"Two tensors would both be saved as '{name}': {taken[name]} and {t.Name}. Give their layers different module names.", nameof(names));
            }

            tensors.Add(new TensorInfo(name, shape, t.Offset, t.Length, t.Trainable));
        }

        File = new NetworkInfo(model.Name, [.. model.InputShape], model.OutputSize, model.Loss, model.OutputActivation, model.Layers, tensors, model.Summary);
        BatchCounters = counters;
    }

    /// <summary>The network as the file sees it: PyTorch names and shapes at NetGen's offsets.</summary>
    public NetworkInfo File { get; }

    /// <summary>
    /// The <c>num_batches_tracked</c> of each BatchNormalization module: a PyTorch file may hold them (an integer
    /// scalar, what <c>state_dict()</c> holds); NetGen reads past them and writes none (see the README).
    /// </summary>
    public IReadOnlySet<string> BatchCounters { get; }

    /// <summary>A new buffer in the file's layout: <paramref name="parameters"/> with every reordered tensor in PyTorch's order.</summary>
    public float[] ToFile(ReadOnlySpan<float> parameters)
    {
        float[] file = parameters.ToArray();
        foreach ((int offset, int[] source) in _reordered)
        {
            for (int i = 0; i < source.Length; i++)
            {
                file[offset + i] = parameters[offset + source[i]];
            }
        }

        return file;
    }

    /// <summary>Writes the file's buffer into <paramref name="parameters"/> in NetGen's layout (every reordered tensor back).</summary>
    public void FromFile(ReadOnlySpan<float> file, Span<float> parameters)
    {
        file.CopyTo(parameters);
        foreach ((int offset, int[] source) in _reordered)
        {
            for (int i = 0; i < source.Length; i++)
            {
                parameters[offset + source[i]] = file[offset + i];
            }
        }
    }

    /// <summary>
    /// nn.Linear's weight [units, inputs] from Keras's kernel [inputs, units]: file (u, i) ← kernel (featureOrder[i], u);
    /// without a feature order, the plain transpose.
    /// </summary>
    private static int[] LinearWeight(int inputs, int units, int[]? featureOrder)
    {
        var source = new int[inputs * units];
        for (int u = 0; u < units; u++)
        {
            for (int i = 0; i < inputs; i++)
            {
                source[(u * inputs) + i] = ((featureOrder is null ? i : featureOrder[i]) * units) + u;
            }
        }

        return source;
    }

    /// <summary>nn.Conv2d's weight [filters, cin, kh, kw] from Keras's kernel [kh, kw, cin, filters].</summary>
    private static int[] ConvWeight(int kh, int kw, int cin, int filters)
    {
        var source = new int[kh * kw * cin * filters];
        for (int f = 0; f < filters; f++)
        {
            for (int c = 0; c < cin; c++)
            {
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++)
                    {
                        source[(((((f * cin) + c) * kh) + y) * kw) + x] = (((((y * kw) + x) * cin) + c) * filters) + f;
                    }
                }
            }
        }

        return source;
    }

    /// <summary>
    /// The layers that read the features of a Flatten of an image (height × width × channels), up to and including the
    /// first Dense after it (Dropout, Activation, BatchNormalization and Normalization keep each feature where it is): for each,
    /// where PyTorch's feature i, in its (c, h, w) order, is in NetGen's (h, w, c) order.
    /// </summary>
    private static Dictionary<string, int[]> FlattenedFeatures(NetworkInfo model)
    {
        var result = new Dictionary<string, int[]>(StringComparer.Ordinal);
        IReadOnlyList<int> shape = model.InputShape;
        int[]? order = null;
        foreach (LayerInfo layer in model.Layers)
        {
            if (layer.Kind == LayerKind.Flatten)
            {
                order = shape.Count == 3 ? ChannelsFirstOrder(shape[0], shape[1], shape[2]) : null;
            }
            else if (order is not null && layer.Kind is LayerKind.Dropout or LayerKind.Activation or LayerKind.BatchNormalization or LayerKind.Normalization or LayerKind.Dense)
            {
                result.Add(layer.Name, order);
                if (layer.Kind == LayerKind.Dense)
                {
                    order = null; // its outputs are units, in the same order in both
                }
            }
            else
            {
                order = null;
            }

            shape = layer.OutputShape;
        }

        return result;
    }

    /// <summary>For each (c, h, w) feature index, its (h, w, c) index.</summary>
    private static int[] ChannelsFirstOrder(int height, int width, int channels)
    {
        var order = new int[height * width * channels];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    order[(((c * height) + y) * width) + x] = (((y * width) + x) * channels) + c;
                }
            }
        }

        return order;
    }

    /// <summary>The module name of every layer: the caller's, or its index in the equivalent <c>nn.Sequential</c>.</summary>
    private static Dictionary<string, string> ModuleNames(NetworkInfo model, IReadOnlyDictionary<string, string>? names)
    {
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        int index = 0;
        foreach (LayerInfo layer in model.Layers)
        {
            modules.Add(layer.Name, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            index += layer.Kind switch
            {
                // A Dense or Conv2D layer's activation is a module of its own (nn.ReLU(), nn.Softmax(dim=1), …) unless it is linear.
                LayerKind.Dense or LayerKind.Conv2D when layer.Activation != Activation.Linear => 2,
                // nn.AdaptiveAvgPool2d(1) leaves [N, C, 1, 1]: an nn.Flatten() follows it to give NetGen's [N, C].
                LayerKind.GlobalAveragePooling2D => 2,
                _ => 1,
            };
        }

        if (names is null)
        {
            return modules;
        }

        var owners = new HashSet<string>(model.Tensors.Select(t => t.Name[..t.Name.LastIndexOf('.')]), StringComparer.Ordinal);
        string withWeights = string.Join(", ", model.Layers.Where(l => owners.Contains(l.Name)).Select(l => "'" + l.Name + "'"));
        foreach (KeyValuePair<string, string> entry in names)
        {
            LayerInfo? layer = model.Layers.FirstOrDefault(l => l.Name == entry.Key);
            if (layer is null)
            {
                throw new ArgumentException($"The name map names layer '{entry.Key}', but {model.Name} has no layer of that name; its layers with weights are {withWeights}.", nameof(names));
            }

            if (!owners.Contains(layer.Name))
            {
                throw new ArgumentException($"The name map names layer '{entry.Key}', a {layer.Kind} layer, which has no weights to name; the layers with weights are {withWeights}.", nameof(names));
            }

            if (string.IsNullOrWhiteSpace(entry.Value) || entry.Value.StartsWith('.') || entry.Value.EndsWith('.') || entry.Value.Contains("..", StringComparison.Ordinal))
            {
                throw new ArgumentException($"The name map gives layer '{entry.Key}' the module name '{entry.Value}'; a module name is a PyTorch attribute path such as 'fc1' or 'net.0'.", nameof(names));
            }

            modules[entry.Key] = entry.Value;
        }

        return modules;
    }
}
