using System.Collections.Generic;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>
/// The backward pass as a layer's descriptor writes its part of it (see <see cref="Layers.LayerDescriptor.EmitBackward"/>).
/// The local <c>gradient</c> holds dL/d(layer output) on entry; a layer leaves dL/d(its input) there, in place or in
/// <see cref="NextGradient"/>, the other of two ping-pong buffers.
/// </summary>
internal sealed class BackwardPass
{
    private readonly HashSet<string> _locals = new HashSet<string>();
    private bool _inPing = true;

    public BackwardPass(SourceWriter writer, NetworkSpec spec, bool lossFused)
    {
        W = writer;
        Spec = spec;
        LossFused = lossFused;
        FirstTrainable = spec.FirstTrainableLayer;
    }

    public SourceWriter W { get; }

    public NetworkSpec Spec { get; }

    /// <summary>The loss took the output layer's pre-activation (its activation fused in), so its gradient is dz already.</summary>
    public bool LossFused { get; }

    /// <summary>The index of the first layer with trainable tensors, where the pass stops.</summary>
    public int FirstTrainable { get; }

    /// <summary>The index of the layer being written.</summary>
    public int Index { get; set; }

    public bool IsOutputLayer => Index == Spec.Layers.Count - 1;

    /// <summary>Nothing before this layer needs an input gradient.</summary>
    public bool IsFirstTrainable => Index == FirstTrainable;

    /// <summary>Declares a span local <paramref name="name"/> over <paramref name="slice"/> the first time the pass reads it.</summary>
    public void Declare(string name, string slice)
    {
        if (_locals.Add(name))
        {
            W.Line((name == "x" ? ReadOnlySpan : Span) + " " + name + " = " + slice + ";");
        }
    }

    /// <summary>Declares (once) and returns the local over one of the layer's buffers, as the training forward pass left it.</summary>
    public string Saved(BufferSpec buffer)
    {
        string local = ForwardPass.Local(buffer);
        Declare(local, Slice(buffer.Field, ForwardPass.Length(buffer)));
        return local;
    }

    /// <summary>Declares (once) and returns the local holding this layer's input as the training forward pass left it.</summary>
    public string Input()
    {
        (string local, string slice) = OutputLocal(Spec, Index - 1);
        Declare(local, slice);
        return local;
    }

    /// <summary>
    /// The other ping-pong buffer, <paramref name="perSample"/> floats per sample, as a new local named after the layer
    /// (<c>{layer}InputGradient</c>: every other local named after a layer ends in a buffer's suffix, so none can take it).
    /// The caller writes dL/d input there, then assigns it to <c>gradient</c>.
    /// </summary>
    public string NextGradient(LayerSpec layer, int perSample)
    {
        _inPing = !_inPing;
        string local = Camel(layer.Identifier) + "InputGradient";
        W.Line(Span + " " + local + " = " + Slice(_inPing ? "_gradientPing" : "_gradientPong", "batchSize * " + Int(perSample)) + ";");
        return local;
    }

    /// <summary>
    /// The local name and buffer slice of layer <paramref name="index"/>'s output in the state a training forward pass
    /// leaves (index −1 is the network input, <c>x</c>). A layer without an output buffer (Flatten, a zero-rate Dropout)
    /// aliases its input.
    /// </summary>
    public static (string Local, string Slice) OutputLocal(NetworkSpec spec, int index)
    {
        for (; index >= 0; index--)
        {
            if (spec.Layers[index].OutputBuffer is { } output)
            {
                return (ForwardPass.Local(output), Slice(output.Field, ForwardPass.Length(output)));
            }
        }

        return ("x", "inputs.Slice(0, batchSize * InputSize)");
    }
}
