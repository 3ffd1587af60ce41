using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// What a descriptor declares for one layer (see <see cref="LayerDescriptor.Declare"/>): its tensors and buffers, named
/// after <see cref="Identifier"/>. Built once with the shapes unknown, for the name checks, and once with them, for the
/// parameter count and the spec. Sizes are longs here, saturating, so an oversized layer is counted, not wrapped.
/// </summary>
internal sealed class LayerDeclarations
{
    private readonly List<DeclaredTensor> _tensors = new List<DeclaredTensor>();
    private readonly List<DeclaredBuffer> _buffers = new List<DeclaredBuffer>();
    private readonly List<string> _modelMembers = new List<string>();

    public LayerDeclarations(LayerArguments arguments, string name, string identifier, IReadOnlyList<long>? input, IReadOnlyList<long>? output)
    {
        Arguments = arguments;
        Name = name;
        Identifier = identifier;
        Input = input ?? [];
        Output = output ?? [];
        InputSize = input is null ? 0 : Product(input);
        OutputSize = output is null ? 0 : Product(output);
    }

    public LayerArguments Arguments { get; }

    public string Name { get; }

    /// <summary>The PascalCase stem of the layer's members (<c>Hidden1</c>).</summary>
    public string Identifier { get; }

    /// <summary>The input shape per sample, empty while unknown.</summary>
    public IReadOnlyList<long> Input { get; }

    /// <summary>The output shape per sample, empty while unknown.</summary>
    public IReadOnlyList<long> Output { get; }

    /// <summary>Floats per sample in (0 while unknown).</summary>
    public long InputSize { get; }

    /// <summary>Floats per sample out (0 while unknown).</summary>
    public long OutputSize { get; }

    /// <summary>The field stem of the layer's buffers: <c>_hidden1</c>.</summary>
    public string FieldStem => "_" + char.ToLowerInvariant(Identifier[0]) + Identifier.Substring(1);

    public IReadOnlyList<DeclaredTensor> Tensors => _tensors;

    public IReadOnlyList<DeclaredBuffer> Buffers => _buffers;

    /// <summary>
    /// Declares a tensor of the flat parameter buffer: <paramref name="role"/> is its name in the weights file
    /// (<c>{layer}.{role}</c>), the public view is <see cref="Identifier"/> + <paramref name="memberSuffix"/> (and, if
    /// trainable, that + <c>Gradient</c>).
    /// </summary>
    public void Tensor(string role, string memberSuffix, long[] shape, bool trainable, Initializer initializer, string doc,
        long fanIn = 0, long fanOut = 0, double l2 = 0, string? initializerNote = null) =>
        _tensors.Add(new DeclaredTensor(role, Identifier + memberSuffix, shape, trainable, initializer, doc, fanIn, fanOut, l2, initializerNote));

    /// <summary>Declares a per-batch buffer, the field <see cref="FieldStem"/> + <paramref name="suffix"/>, <paramref name="length"/> elements per sample.</summary>
    public void Buffer(string suffix, BufferRole role, long length, bool holdsOutput = false, bool inInference = false, bool isInt = false, bool perSample = true) =>
        _buffers.Add(new DeclaredBuffer(FieldStem + suffix, role, length, holdsOutput, inInference, perSample, isInt, Shared: false));

    /// <summary>
    /// Declares scratch shared by every layer that asks for <paramref name="field"/> (one field, as long as the longest
    /// asks): for working memory used within one layer's pass (im2col). <paramref name="perSample"/>: the length scales with the batch.
    /// </summary>
    public void SharedScratch(string field, long length, bool perSample, bool inInference = false, bool isInt = false) =>
        _buffers.Add(new DeclaredBuffer(field, BufferRole.Scratch, length, HoldsOutput: false, inInference, perSample, isInt, Shared: true));

    /// <summary>
    /// Declares a member the layer's descriptor writes into the model under a fixed name (see
    /// <see cref="LayerDescriptor.EmitMembers"/>: Normalization's <c>AdaptCore</c>), so no user member or class can take it.
    /// </summary>
    public void ModelMember(string name) => _modelMembers.Add(name);

    /// <summary>Members not named after the layer, which another layer may declare too: shared buffers and model members.</summary>
    public IEnumerable<string> SharedMembers()
    {
        foreach (DeclaredBuffer buffer in _buffers)
        {
            if (buffer.Shared)
            {
                yield return buffer.Field;
            }
        }

        foreach (string member in _modelMembers)
        {
            yield return member;
        }
    }

    /// <summary>Every member named after the layer: views (each tensor, then the trainable ones' gradients), then buffer fields.</summary>
    public IEnumerable<string> Members()
    {
        foreach (string view in Views())
        {
            yield return view;
        }

        foreach (DeclaredBuffer buffer in _buffers)
        {
            if (!buffer.Shared)
            {
                yield return buffer.Field;
            }
        }
    }

    /// <summary>The public views over the parameter and gradient buffers.</summary>
    public IEnumerable<string> Views()
    {
        foreach (DeclaredTensor tensor in _tensors)
        {
            yield return tensor.Member;
        }

        foreach (DeclaredTensor tensor in _tensors)
        {
            if (tensor.Trainable)
            {
                yield return tensor.Member + "Gradient";
            }
        }
    }

    /// <summary>The product of non-negative sizes, saturating at long.MaxValue.</summary>
    public static long Product(IReadOnlyList<long> shape)
    {
        long p = 1;
        foreach (long d in shape)
        {
            p = Multiply(p, d);
        }

        return p;
    }

    /// <summary>A product of non-negative sizes, saturating at long.MaxValue.</summary>
    public static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    /// <summary>A declared tensor, sized in longs until the layout fits it into ints.</summary>
    internal sealed record DeclaredTensor(string Role, string Member, long[] Shape, bool Trainable, Initializer Initializer, string Doc,
        long FanIn, long FanOut, double L2, string? InitializerNote)
    {
        public long Length => Product(Shape);
    }

    /// <summary>A declared buffer, sized in longs.</summary>
    internal sealed record DeclaredBuffer(string Field, BufferRole Role, long Length, bool HoldsOutput, bool InInference, bool PerSample, bool IsInt, bool Shared);
}
