using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;

namespace NetGen.Generator.Emit;

/// <summary>
/// One forward pass as a layer's descriptor writes its part of it (see <see cref="Layers.LayerDescriptor.EmitForward"/>):
/// in training, into the model's buffers; in inference (<see cref="Training"/> false), into slices of the caller's
/// scratch, where training-only behaviour (dropout) is the identity. Both call the same kernels on the same sizes, so
/// they give the same bits. <see cref="Current"/> is the local holding the running activation.
/// </summary>
internal sealed class ForwardPass
{
    private readonly InferenceScratch? _scratch;

    public ForwardPass(SourceWriter writer, NetworkSpec spec, InferenceScratch? scratch)
    {
        W = writer;
        Spec = spec;
        _scratch = scratch;
    }

    public SourceWriter W { get; }

    public NetworkSpec Spec { get; }

    /// <summary>False in <c>InferCore</c>: no training buffers, no dropout, no statistics updates.</summary>
    public bool Training => _scratch is null;

    /// <summary>The local (a span) holding the previous layer's output; a layer that produces a new one sets it.</summary>
    public string Current { get; set; } = "x";

    /// <summary>
    /// The span of <paramref name="buffer"/> for this batch: the field in training, its slice of the scratch in
    /// inference (where only <see cref="BufferSpec.InInference"/> buffers exist).
    /// </summary>
    public string Slice(BufferSpec buffer) => _scratch is null
        ? Emitting.Slice(buffer.Field, Length(buffer))
        : _scratch.Slice(buffer.Field, Length(buffer));

    /// <summary>The local a buffer's span is read through: its field without the underscore.</summary>
    public static string Local(BufferSpec buffer) => buffer.Field.Substring(1);

    /// <summary>The buffer's length for this batch, as an expression.</summary>
    public static string Length(BufferSpec buffer) => buffer.PerSample ? "batchSize * " + Int(buffer.Length) : Int(buffer.Length);
}
