using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using NetGen.Kernels;
using NormalizationKernel = NetGen.Kernels.Normalization;

namespace NetGen.Onnx;

/// <summary>Turns a network's layer list (<see cref="NetworkInfo.Layers"/>) and a copy of its weights into an ONNX graph, layer by layer.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly NetworkInfo _info;
    private bool _adapted;
    private readonly float[] _parameters;
    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the current tensor is channels-first. NetGen is NHWC, ONNX's Conv, pooling and BatchNormalization are
    /// NCHW: the graph turns NCHW at the first spatial layer and back to NHWC before anything that reads positions in
    /// NetGen's order (Flatten, so the Dense after it keeps its kernel's rows; Normalization's per-value statistics).
    /// </summary>
    private bool _channelsFirst;

    private OnnxGraphBuilder(NetworkInfo info, float[] parameters, string graphName)
    {
        _info = info;
        _parameters = parameters;
        _graph.Name = graphName;
    }

    /// <summary>The ONNX model of <paramref name="model"/>: its weights as they are now, its layers as standard operators.</summary>
    public static ModelProto Build(Network model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        CheckName(options.InputName, nameof(options.InputName));
        CheckName(options.OutputName, nameof(options.OutputName));
        CheckName(options.BatchDimensionName, nameof(options.BatchDimensionName));
        if (options.InputName == options.OutputName)
        {
            throw new ArgumentException($"The input and output need different names; both are '{options.InputName}'.", nameof(options));
        }

        float[] parameters;
        bool adapted;
        using (Threading.ModelOperation operation = model.BeginOperation())
        {
            // One consistent snapshot: a Fit on another thread cannot step between two layers' weights.
            parameters = model.Parameters.ToArray();
            adapted = model.IsAdapted; // as Predict judges it: adapted, or statistics loaded from a file
        }

        NetworkInfo info = model.Info;
        var builder = new OnnxGraphBuilder(info, parameters, options.GraphName ?? info.Name) { _adapted = adapted };
        builder._names.Add(options.InputName);
        builder._names.Add(options.OutputName);
        builder.AddLayers(options);

        var onnx = new ModelProto
        {
            IrVersion = OnnxExporter.IrVersion,
            ProducerName = "NetGen",
            ProducerVersion = typeof(Network).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            DocString = info.Summary,
            Graph = builder._graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExporter.OpsetVersion });
        onnx.MetadataProps.Add(new StringStringEntryProto { Key = "netgen.model", Value = info.Name });
        onnx.MetadataProps.Add(new StringStringEntryProto { Key = "netgen.loss", Value = info.Loss.ToString() });
        return onnx;
    }

    private void AddLayers(OnnxExportOptions options)
    {
        _graph.Input.Add(FloatTensor(options.InputName, options.BatchDimensionName, _info.InputShape));
        _graph.Output.Add(FloatTensor(options.OutputName, options.BatchDimensionName, [_info.OutputSize]));

        // Every layer but the omitted ones writes a fresh tensor; the last node writes the graph output.
        string current = options.InputName;
        var nodes = new List<NodeProto>();
        IReadOnlyList<int> shape = _info.InputShape;
        foreach (LayerInfo layer in _info.Layers)
        {
            IReadOnlyList<int> input = shape;
            shape = layer.OutputShape;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    current = Dense(layer, current, nodes);
                    break;
                case LayerKind.Flatten:
                    // axis 1 keeps the batch dimension and joins the rest, [N, 28, 28] → [N, 784], whatever N is.
                    current = Node("Flatten", layer.Name + "/flatten", [ChannelsLast(layer, current, nodes)], nodes, Int("axis", 1));
                    break;
                case LayerKind.Normalization:
                    current = Normalization(layer, ChannelsLast(layer, current, nodes), nodes);
                    break;
                case LayerKind.Dropout:
                    // Inverted dropout scales while training, so at inference it is the identity: nothing to export.
                    break;
                case LayerKind.Conv2D:
                    current = Conv2D(layer, ChannelsFirst(layer, current, nodes), nodes);
                    break;
                case LayerKind.MaxPooling2D:
                    current = Pooling(layer, "MaxPool", ChannelsFirst(layer, current, nodes), nodes);
                    break;
                case LayerKind.AveragePooling2D:
                    // Keras leaves padded cells out of each window's count.
                    current = Pooling(layer, "AveragePool", ChannelsFirst(layer, current, nodes), nodes, Int("count_include_pad", 0));
                    break;
                case LayerKind.GlobalAveragePooling2D:
                    // [N, C, H, W] → [N, C, 1, 1] → [N, C]: rank 1 per sample, as NetGen's output, with no layout left.
                    string pooled = Node("GlobalAveragePool", layer.Name + "/global_average_pool", [ChannelsFirst(layer, current, nodes)], nodes);
                    current = Node("Flatten", layer.Name + "/flatten", [pooled], nodes, Int("axis", 1));
                    _channelsFirst = false;
                    break;
                case LayerKind.BatchNormalization:
                    // Per channel after a convolution (NCHW's axis 1), per feature after a Dense ([N, C] is ONNX's N × C).
                    current = BatchNormalization(layer, input.Count == 3 ? ChannelsFirst(layer, current, nodes) : current, nodes);
                    break;
                case LayerKind.Activation:
                    // Elementwise in either layout; a softmax runs over the channels (axis 1 while channels-first).
                    current = Activate(layer, current, nodes);
                    break;
                default:
                    throw new NotSupportedException(
                        $"ONNX export does not support layer '{layer.Name}' of kind {layer.Kind} in {_info.Name} yet: it needs its own mapping in NetGen.Onnx.");
            }
        }

        if (nodes.Count == 0)
        {
            // Not reachable for a valid model (its last layer is Dense), but an input-to-output graph must still have a node.
            Node("Identity", "output/identity", [current], nodes);
        }

        nodes[^1].Output[0] = options.OutputName;
        _graph.Node.Add(nodes);
    }

    private string Dense(LayerInfo layer, string input, List<NodeProto> nodes)
    {
        string kernel = Initializer(layer.Name + ".kernel", [layer.InputSize, layer.OutputSize]);
        string bias = Initializer(layer.Name + ".bias", [layer.OutputSize]);

        // Keras's kernel is [inputs, units], so y = x·W + b is Gemm without transposing B.
        string z = Node("Gemm", layer.Name + "/gemm", [input, kernel, bias], nodes,
            Float("alpha", 1f), Float("beta", 1f), Int("transA", 0), Int("transB", 0));
        return Activate(layer, z, nodes);
    }

    /// <summary>The layer's activation (a Dense, Conv2D or Activation layer's) of <paramref name="z"/>; a softmax runs over the features, the channels in NCHW.</summary>
    private string Activate(LayerInfo layer, string z, List<NodeProto> nodes) => layer.Activation switch
    {
        Activation.Linear => z,
        Activation.Sigmoid => Node("Sigmoid", layer.Name + "/sigmoid", [z], nodes),
        Activation.Tanh => Node("Tanh", layer.Name + "/tanh", [z], nodes),
        Activation.ReLU => Node("Relu", layer.Name + "/relu", [z], nodes),
        Activation.LeakyReLU => Node("LeakyRelu", layer.Name + "/leaky_relu", [z], nodes, Float("alpha", layer.Alpha)),
        Activation.Softmax => Node("Softmax", layer.Name + "/softmax", [z], nodes, Int("axis", _channelsFirst ? 1 : -1)),
        _ => throw new NotSupportedException(
            $"ONNX export does not support activation {layer.Activation} of layer '{layer.Name}' in {_info.Name} yet: it needs its own mapping in NetGen.Onnx."),
    };

    private string Conv2D(LayerInfo layer, string input, List<NodeProto> nodes)
    {
        Conv2DGeometry g = Window(layer);
        int filters = layer.OutputShape[2];

        // Keras's kernel [kh, kw, cin, filters] becomes ONNX's [filters, cin, kh, kw].
        ReadOnlySpan<float> keras = Tensor(layer.Name + ".kernel");
        var weight = new float[keras.Length];
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                for (int c = 0; c < g.Channels; c++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        weight[(((((f * g.Channels) + c) * g.WindowHeight) + ky) * g.WindowWidth) + kx] =
                            keras[(((((ky * g.WindowWidth) + kx) * g.Channels) + c) * filters) + f];
                    }
                }
            }
        }

        string kernel = Initializer(layer.Name + ".kernel", [filters, g.Channels, g.WindowHeight, g.WindowWidth], weight);
        string bias = Initializer(layer.Name + ".bias", [filters]);
        string z = Node("Conv", layer.Name + "/conv", [input, kernel, bias], nodes,
            Ints("kernel_shape", g.WindowHeight, g.WindowWidth), Ints("strides", g.StrideHeight, g.StrideWidth),
            Pads(g), Ints("dilations", 1, 1), Int("group", 1));
        return Activate(layer, z, nodes);
    }

    private string Pooling(LayerInfo layer, string op, string input, List<NodeProto> nodes, params AttributeProto[] extra)
    {
        Conv2DGeometry g = Window(layer);
        return Node(op, layer.Name + "/" + (op == "MaxPool" ? "max_pool" : "average_pool"), [input], nodes,
            [Ints("kernel_shape", g.WindowHeight, g.WindowWidth), Ints("strides", g.StrideHeight, g.StrideWidth), Pads(g), .. extra]);
    }

    private string BatchNormalization(LayerInfo layer, string input, List<NodeProto> nodes)
    {
        if (!(layer.Epsilon > 0))
        {
            throw new InvalidOperationException($"BatchNormalization layer '{layer.Name}' of {_info.Name} states no epsilon: rebuild the model with this NetGen version.");
        }

        // Inference form: the moving statistics, as Predict uses them.
        int channels = layer.OutputShape[^1];
        string[] inputs =
        [
            input,
            Initializer(layer.Name + ".gamma", [channels]),
            Initializer(layer.Name + ".beta", [channels]),
            Initializer(layer.Name + ".moving_mean", [channels]),
            Initializer(layer.Name + ".moving_variance", [channels]),
        ];
        return Node("BatchNormalization", layer.Name + "/batch_normalization", inputs, nodes, Float("epsilon", layer.Epsilon));
    }

    /// <summary>ONNX's explicit pads [top, left, bottom, right]: TF's 'same' puts the odd row or column at the bottom or right.</summary>
    private static AttributeProto Pads(in Conv2DGeometry g)
    {
        // For 'valid' padding with unused trailing rows this is negative: no padding, and ONNX's floor drops them too.
        int bottom = Math.Max(((g.OutputHeight - 1) * g.StrideHeight) + g.WindowHeight - g.InputHeight - g.PadTop, 0);
        int right = Math.Max(((g.OutputWidth - 1) * g.StrideWidth) + g.WindowWidth - g.InputWidth - g.PadLeft, 0);
        return Ints("pads", g.PadTop, g.PadLeft, bottom, right);
    }

    private Conv2DGeometry Window(LayerInfo layer) => layer.Window ?? throw new InvalidOperationException(
        $"Layer '{layer.Name}' of {_info.Name} states no window (LayerInfo.Window): rebuild the model with this NetGen version.");

    /// <summary>The current tensor channels-first, transposing NHWC → NCHW once where the first spatial layer needs it.</summary>
    private string ChannelsFirst(LayerInfo layer, string current, List<NodeProto> nodes)
    {
        if (_channelsFirst)
        {
            return current;
        }

        _channelsFirst = true;
        return Node("Transpose", layer.Name + "/to_nchw", [current], nodes, Ints("perm", 0, 3, 1, 2));
    }

    /// <summary>The current tensor in NetGen's NHWC order again, before a layer that reads it position by position.</summary>
    private string ChannelsLast(LayerInfo layer, string current, List<NodeProto> nodes)
    {
        if (!_channelsFirst)
        {
            return current;
        }

        _channelsFirst = false;
        return Node("Transpose", layer.Name + "/to_nhwc", [current], nodes, Ints("perm", 0, 2, 3, 1));
    }

    private string Normalization(LayerInfo layer, string input, List<NodeProto> nodes)
    {
        ReadOnlySpan<float> mean = Tensor(layer.Name + ".mean"), variance = Tensor(layer.Name + ".variance");
        if (!_adapted)
        {
            throw new InvalidOperationException(
                $"Normalization layer '{layer.Name}' of {_info.Name} was never adapted: call model.Adapt(train) (or load weights) before exporting.");
        }

        // The divisor NetGen divides by, in float, computed the same way, so ONNX's Sub and Div give the same bits.
        var scale = new float[variance.Length];
        for (int i = 0; i < scale.Length; i++)
        {
            scale[i] = MathF.Max(MathF.Sqrt(variance[i]), NormalizationKernel.Epsilon);
        }

        // One statistic per value of a sample, shaped as the sample so it broadcasts over the batch at any rank.
        int[] dims = [.. layer.OutputShape];
        string meanName = Initializer(layer.Name + ".mean", dims, mean);
        string scaleName = Initializer(layer.Name + ".stddev", dims, scale);
        string centered = Node("Sub", layer.Name + "/sub", [input, meanName], nodes);
        return Node("Div", layer.Name + "/div", [centered, scaleName], nodes);
    }

    /// <summary>Adds a node whose one output is named after the node; returns that name.</summary>
    private string Node(string op, string name, string[] inputs, List<NodeProto> nodes, params AttributeProto[] attributes)
    {
        Claim(name);
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(name);
        node.Attribute.Add(attributes);
        nodes.Add(node);
        return name;
    }

    /// <summary>Adds the model tensor <paramref name="name"/> (or <paramref name="values"/>) as a float initializer of <paramref name="dims"/>.</summary>
    private string Initializer(string name, int[] dims, ReadOnlySpan<float> values = default)
    {
        Claim(name);
        if (values.IsEmpty)
        {
            values = Tensor(name);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims.Select(d => (long)d));
        if (BitConverter.IsLittleEndian)
        {
            // raw_data is little-endian by the ONNX spec, which is this machine's order.
            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        else
        {
            tensor.FloatData.Add(values.ToArray());
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    private ReadOnlySpan<float> Tensor(string name)
    {
        foreach (TensorInfo t in _info.Tensors)
        {
            if (t.Name == name)
            {
                return _parameters.AsSpan(t.Offset, t.Length);
            }
        }

        throw new InvalidOperationException($"{_info.Name} declares no tensor '{name}', which its layer list implies.");
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException(
                $"The ONNX graph of {_info.Name} would use the name '{name}' twice: choose another input or output name in OnnxExportOptions.");
        }
    }

    private static ValueInfoProto FloatTensor(string name, string batch, IReadOnlyList<int> sampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        foreach (int d in sampleShape)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static void CheckName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"OnnxExportOptions.{what} must be a non-empty name; received '{name}'.", what);
        }
    }
}
