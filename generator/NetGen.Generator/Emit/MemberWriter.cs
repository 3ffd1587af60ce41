using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Where a layer's descriptor writes members of the model's own (see <see cref="Layers.LayerDescriptor.EmitMembers"/>),
/// inside the model's class in its Network.g.cs: run-time behaviour that belongs to the layer, so the runtime's
/// Network base class knows no layer kind.
/// </summary>
internal sealed class MemberWriter
{
    public MemberWriter(SourceWriter writer, NetworkSpec spec)
    {
        W = writer;
        Spec = spec;
    }

    public SourceWriter W { get; }

    public NetworkSpec Spec { get; }
}
