using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.IO;

/// <summary>
/// A network's tensors as a PyTorch file holds them: each Dense kernel transposed to an <c>nn.Linear</c> weight
/// (<c>[units, inputs]</c>), named after the module's index in the equivalent <c>nn.Sequential</c> or the caller's name
/// for it. Each file tensor has the same offset and length as its NetGen tensor, so the two buffers differ only inside
/// the kernels.
/// </summary>
internal sealed class PyTorchTensors
{
    private readonly List<(int Offset, int Inputs, int Units)> _kernels = [];

    /// <exception cref="ArgumentException"><paramref name="names"/> is not a valid map for <paramref name="model"/>.</exception>
    /// <exception cref="NotSupportedException">The model has a layer whose PyTorch layout is not defined yet (Conv2D, pooling, BatchNormalization).</exception>
    public PyTorchTensors(NetworkInfo model, IReadOnlyDictionary<string, string>? names)
    {
        // Until the convolution layers get their PyTorch modules and layouts (nn.Conv2d's [filters, cin, kh, kw], BatchNorm2d's
        // running_mean…), refuse them rather than write a file with misread kernels and misnamed tensors.
        foreach (LayerInfo layer in model.Layers)
        {
            if (layer.Kind is not (LayerKind.Dense or LayerKind.Dropout or LayerKind.Flatten or LayerKind.Normalization))
            {
                throw new NotSupportedException(
                    $"WeightLayout.PyTorch does not support layer '{layer.Name}' of kind {layer.Kind} in {model.Name} yet: save its weights in NetGen's (Keras's) layout.");
            }
        }

        Dictionary<string, string> modules = ModuleNames(model, names);
        var tensors = new List<TensorInfo>(model.Tensors.Count);
        var taken = new Dictionary<string, string>(StringComparer.Ordinal); // file name → NetGen name
        foreach (TensorInfo t in model.Tensors)
        {
            // NetGen names tensors "<layer>.<what>"; layer names are identifiers, so the last dot splits them.
            int dot = t.Name.LastIndexOf('.');
            string layer = t.Name[..dot], what = t.Name[(dot + 1)..];
            IReadOnlyList<int> shape = t.Shape;
            if (what == "kernel")
            {
                what = "weight";
                shape = [t.Shape[1], t.Shape[0]];
                _kernels.Add((t.Offset, t.Shape[0], t.Shape[1]));
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
    }

    /// <summary>The network as the file sees it: PyTorch names and shapes at NetGen's offsets.</summary>
    public NetworkInfo File { get; }

    /// <summary>A new buffer in the file's layout: <paramref name="parameters"/> with every kernel transposed.</summary>
    public float[] ToFile(ReadOnlySpan<float> parameters)
    {
        float[] file = parameters.ToArray();
        foreach ((int offset, int inputs, int units) in _kernels)
        {
            // kernel[i, u] (row-major [inputs, units]) → weight[u, i] (row-major [units, inputs]).
            for (int i = 0; i < inputs; i++)
            {
                for (int u = 0; u < units; u++)
                {
                    file[offset + (u * inputs) + i] = parameters[offset + (i * units) + u];
                }
            }
        }

        return file;
    }

    /// <summary>Writes the file's buffer into <paramref name="parameters"/> in NetGen's layout (every weight transposed back).</summary>
    public void FromFile(ReadOnlySpan<float> file, Span<float> parameters)
    {
        file.CopyTo(parameters);
        foreach ((int offset, int inputs, int units) in _kernels)
        {
            for (int i = 0; i < inputs; i++)
            {
                for (int u = 0; u < units; u++)
                {
                    parameters[offset + (i * units) + u] = file[offset + (u * inputs) + i];
                }
            }
        }
    }

    /// <summary>The module name of every layer: the caller's, or its index in the equivalent <c>nn.Sequential</c>.</summary>
    private static Dictionary<string, string> ModuleNames(NetworkInfo model, IReadOnlyDictionary<string, string>? names)
    {
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        int index = 0;
        foreach (LayerInfo layer in model.Layers)
        {
            modules.Add(layer.Name, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // A Dense layer's activation is a module of its own (nn.ReLU(), nn.Softmax(dim=1), …) unless it is linear.
            index += layer.Kind == LayerKind.Dense && layer.Activation != Activation.Linear ? 2 : 1;
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
