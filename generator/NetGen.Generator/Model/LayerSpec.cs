using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;

namespace NetGen.Generator.Model;

/// <summary>
/// A layer's own arguments, as its attribute gives them: each kind derives a record of its own (see
/// <see cref="LayerDescriptor.Read"/>), so no layer carries another kind's fields. Records compare by value, so a
/// declaration or spec holding one still caches.
/// </summary>
internal abstract record LayerArguments;

/// <summary>
/// One validated layer: its shapes, its own arguments, and everything it declared (see <see cref="LayerDescriptor.Declare"/>):
/// the tensors it keeps in the flat parameter buffer, with their offsets, and the buffers it keeps per batch. Every
/// generated member named after the layer comes from these two lists. <see cref="Identifier"/> is the PascalCase form
/// of <see cref="Name"/> the members are named after.
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    string Name,
    string Identifier,
    Shape InputShape,
    Shape OutputShape,
    LayerArguments Arguments,
    EquatableArray<TensorSpec> Tensors,
    EquatableArray<BufferSpec> Buffers)
{
    public int InputSize => InputShape.Size;

    public int OutputSize => OutputShape.Size;

    /// <summary>The kind's descriptor, which emits the layer's code.</summary>
    public LayerDescriptor Descriptor => LayerRegistry.Of(Kind);

    /// <summary>Every parameter the layer holds, trainable or not.</summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (TensorSpec tensor in Tensors)
            {
                count += tensor.Length;
            }

            return count;
        }
    }

    /// <summary>Whether any of its tensors is trainable: the backward pass runs down to the first such layer.</summary>
    public bool IsTrainable
    {
        get
        {
            foreach (TensorSpec tensor in Tensors)
            {
                if (tensor.Trainable)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Where its first tensor starts in the flat buffer (the next free offset when it has none), for LayerInfo.</summary>
    public int ParameterOffset { get; init; }

    /// <summary>The buffer declared with <paramref name="role"/>, or null.</summary>
    public BufferSpec? Buffer(BufferRole role)
    {
        foreach (BufferSpec buffer in Buffers)
        {
            if (buffer.Role == role)
            {
                return buffer;
            }
        }

        return null;
    }

    /// <summary>The buffer that holds the layer's output after a training forward pass, or null when the output aliases its input.</summary>
    public BufferSpec? OutputBuffer
    {
        get
        {
            foreach (BufferSpec buffer in Buffers)
            {
                if (buffer.HoldsOutput)
                {
                    return buffer;
                }
            }

            return null;
        }
    }

    /// <summary>The tensor declared under <paramref name="role"/> (<c>kernel</c>, <c>bias</c>, <c>mean</c>…).</summary>
    public TensorSpec Tensor(string role)
    {
        foreach (TensorSpec tensor in Tensors)
        {
            if (tensor.Role == role)
            {
                return tensor;
            }
        }

        throw new System.ArgumentException("layer '" + Name + "' declares no tensor '" + role + "'", nameof(role));
    }
}

/// <summary>How the generated <c>InitializeParameters</c> fills a tensor (the buffer starts zeroed).</summary>
internal enum Initializer
{
    Zeros,
    Ones,
    GlorotUniform,
}

/// <summary>
/// One tensor of a layer in the flat parameter buffer. <see cref="Role"/> is its Keras weight name within the layer
/// (the weights file names it <c>{layer}.{role}</c>); <see cref="Member"/> the public view the model exposes, and, when
/// <see cref="Trainable"/>, <see cref="Member"/>Gradient its gradient. A non-trainable tensor (Normalization's mean,
/// BatchNormalization's moving variance) is saved with the weights but never stepped or decayed by an optimizer; it
/// goes after every trainable one, so the optimizer steps over a prefix. <see cref="FanIn"/>/<see cref="FanOut"/> are
/// Glorot's fans; <see cref="L2"/> the kernel regularization factor (0 for none). <see cref="Doc"/> is the view's
/// summary sentence; <see cref="InitializerNote"/> a comment beside its initialization.
/// </summary>
internal sealed record TensorSpec(
    string Role,
    string Member,
    Shape Shape,
    bool Trainable,
    Initializer Initializer,
    string Doc,
    int FanIn = 0,
    int FanOut = 0,
    double L2 = 0,
    string? InitializerNote = null)
{
    public int Length => Shape.Size;

    /// <summary>Where it starts in the flat buffer, set once the layout is known.</summary>
    public int Offset { get; init; }

    /// <summary>The view over its gradient, for a trainable tensor.</summary>
    public string GradientMember => Member + "Gradient";
}

/// <summary>What a layer keeps a per-batch buffer for.</summary>
internal enum BufferRole
{
    /// <summary>The pre-activation a fused loss reads as logits (a Dense layer's z).</summary>
    PreActivation,

    /// <summary>The layer's output (an activation, a normalized or dropped-out copy).</summary>
    Output,

    /// <summary>Saved by the training forward pass for the backward pass only (a dropout mask, a pooling argmax, batch statistics).</summary>
    Saved,

    /// <summary>Working memory of one pass, free to share between layers (im2col).</summary>
    Scratch,
}

/// <summary>
/// One buffer a layer keeps between passes: the private field <see cref="Field"/>, of floats or (<see cref="IsInt"/>)
/// ints, <see cref="Length"/> elements per sample (or in all, when not <see cref="PerSample"/>).
/// <see cref="HoldsOutput"/>: it holds the layer's output after a training forward pass (a linear Dense layer's z does).
/// <see cref="InInference"/>: the inference pass needs it too, and takes it from the caller's scratch.
/// <see cref="Shared"/>: layers that declare a shared buffer of the same field name use one field, as long as the
/// longest asks (scratch used within one layer's pass only).
/// </summary>
internal sealed record BufferSpec(
    string Field,
    BufferRole Role,
    int Length,
    bool HoldsOutput = false,
    bool InInference = false,
    bool PerSample = true,
    bool IsInt = false,
    bool Shared = false);
