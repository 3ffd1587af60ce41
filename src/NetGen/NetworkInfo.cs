using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>What a generated network is, fixed at build time: shapes, loss, layers and where each parameter tensor lives in the flat parameter buffer.</summary>
public sealed class NetworkInfo
{
    /// <summary>Creates the description; generated code calls this once per network type.</summary>
    public NetworkInfo(
        string name,
        int[] inputShape,
        int outputSize,
        Loss loss,
        Activation outputActivation,
        IReadOnlyList<LayerInfo> layers,
        IReadOnlyList<TensorInfo> tensors,
        string summary)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(tensors);
        Name = name;
        InputShape = inputShape;
        InputSize = 1;
        foreach (int d in inputShape)
        {
            InputSize *= d;
        }

        OutputSize = outputSize;
        Loss = loss;
        OutputActivation = outputActivation;
        Layers = layers;
        Tensors = tensors;
        Summary = summary;
        foreach (TensorInfo t in tensors)
        {
            ParameterCount += t.Length;
            if (t.Trainable)
            {
                TrainableParameterCount += t.Length;
            }
        }
    }

    /// <summary>The model class's name.</summary>
    public string Name { get; }

    /// <summary>The shape of one input sample (without the batch dimension).</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>Number of floats in one input sample (the product of <see cref="InputShape"/>).</summary>
    public int InputSize { get; }

    /// <summary>Number of floats the network outputs per sample.</summary>
    public int OutputSize { get; }

    /// <summary>Number of target floats per sample: 1 for sparse categorical cross-entropy (a class index), else <see cref="OutputSize"/>.</summary>
    public int TargetSize => Loss == Loss.SparseCategoricalCrossEntropy ? 1 : OutputSize;

    /// <summary>The loss the network is trained with.</summary>
    public Loss Loss { get; }

    /// <summary>The last layer's activation (decides how accuracy is measured).</summary>
    public Activation OutputActivation { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Every parameter tensor, in buffer order.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>Total number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of parameters the optimizer updates.</summary>
    public int TrainableParameterCount { get; }

    /// <summary>The Keras-style summary table.</summary>
    public string Summary { get; }
}

/// <summary>Kinds of layer.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer.</summary>
    Dense,

    /// <summary>An inverted-dropout layer.</summary>
    Dropout,

    /// <summary>A reshape to one dimension.</summary>
    Flatten,

    /// <summary>Per-feature standardization with adapted, non-trainable statistics.</summary>
    Normalization,

    /// <summary>A standalone activation function (<see cref="ActivationLayerAttribute"/>).</summary>
    Activation,

    /// <summary>A 2-D convolution over height × width × channels.</summary>
    Conv2D,

    /// <summary>The maximum over each window, per channel.</summary>
    MaxPooling2D,

    /// <summary>The mean over each window, per channel.</summary>
    AveragePooling2D,

    /// <summary>Each channel's mean over every position: height × width × channels to channels.</summary>
    GlobalAveragePooling2D,

    /// <summary>Standardization by batch statistics in training and moving statistics in inference, then a trainable scale and shift.</summary>
    BatchNormalization,
}

/// <summary>One layer of a generated network.</summary>
/// <param name="Name">The layer's name (unique within the network).</param>
/// <param name="Kind">What the layer is.</param>
/// <param name="InputSize">Floats per sample in.</param>
/// <param name="OutputShape">The shape per sample out.</param>
/// <param name="Activation">The activation (Dense and Activation layers; Linear otherwise).</param>
/// <param name="Alpha">The LeakyReLU slope (Dense and Activation layers).</param>
/// <param name="Rate">The drop rate (Dropout only).</param>
/// <param name="ParameterOffset">Where the layer's parameters start in the flat buffer.</param>
/// <param name="ParameterCount">How many parameters the layer has.</param>
public sealed record LayerInfo(
    string Name,
    LayerKind Kind,
    int InputSize,
    IReadOnlyList<int> OutputShape,
    Activation Activation,
    float Alpha,
    float Rate,
    int ParameterOffset,
    int ParameterCount)
{
    private readonly IReadOnlyList<int>? _inputShape;

    /// <summary>
    /// The sliding window of a Conv2D, MaxPooling2D or AveragePooling2D layer over its input (window, strides, the
    /// padding before the first row and column, output size); null for every other kind. Tools that rebuild the layer
    /// elsewhere (ONNX export) read it here, since the shapes alone do not fix the strides and padding.
    /// </summary>
    public Kernels.Conv2DGeometry? Window { get; init; }

    /// <summary>A BatchNormalization layer's epsilon (added to the variance before its square root); 0 for other kinds.</summary>
    public float Epsilon { get; init; }

    /// <summary>A BatchNormalization layer's momentum (how much of the moving statistics each step keeps); 0 for other kinds.</summary>
    public float Momentum { get; init; }

    /// <summary>
    /// The shape per sample in, as Keras's <c>input_shape</c> without the batch dimension (a Flatten layer's is
    /// multi-dimensional). Generated models set it; a hand-made record without it reports <c>[InputSize]</c>.
    /// </summary>
    public IReadOnlyList<int> InputShape
    {
        get => _inputShape ?? [InputSize];
        init => _inputShape = value;
    }

    /// <summary>Floats per sample out.</summary>
    public int OutputSize
    {
        get
        {
            int size = 1;
            foreach (int d in OutputShape)
            {
                size *= d;
            }

            return size;
        }
    }
}

/// <summary>A named parameter tensor inside the flat parameter buffer.</summary>
/// <param name="Name">Name as in a weights file: <c>layer.kernel</c> or <c>layer.bias</c>.</param>
/// <param name="Shape">The tensor's shape (a Dense kernel is [inputs, units]).</param>
/// <param name="Offset">Start in the flat buffer.</param>
/// <param name="Length">Number of floats.</param>
/// <param name="Trainable">Whether the optimizer updates it.</param>
/// <param name="L2">
/// The L2 regularization factor of a kernel (Dense's <see cref="DenseAttribute.KernelL2"/>, Keras's
/// <c>kernel_regularizer=regularizers.l2(…)</c>): training adds L2·Σw² to the loss and 2·L2·w to the gradient. 0 for none.
/// </param>
public sealed record TensorInfo(string Name, IReadOnlyList<int> Shape, int Offset, int Length, bool Trainable, float L2 = 0f)
{
    /// <summary>The suffix of every kernel's name (<c>layer.kernel</c>).</summary>
    public const string KernelSuffix = ".kernel";

    /// <summary>
    /// Whether this is a trainable kernel (a layer's weight matrix, named <c>layer.kernel</c>): the only tensors weight
    /// decay and L2 regularization apply to. Biases and normalization statistics never are.
    /// </summary>
    public bool IsKernel => Trainable && Name.EndsWith(KernelSuffix, StringComparison.Ordinal);
}
