using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// The state of the layer-by-layer walk (see <see cref="LayerChain"/>) as one layer's descriptor sees it
/// (<see cref="LayerDescriptor.Validate"/>): its arguments, the shape it receives, what is known so far, and the
/// means to report a finding on one of its arguments and to accept the layer with its output shape.
/// </summary>
internal sealed class LayerValidation
{
    private readonly List<Finding> _findings;
    private readonly Dictionary<LayerKind, string> _firstOfKind = new Dictionary<LayerKind, string>();

    public LayerValidation(List<Finding> findings, IReadOnlyList<int> inputShape, bool shapeKnown, bool orderKnown)
    {
        _findings = findings;
        foreach (int dimension in inputShape)
        {
            Shape.Add(dimension);
        }

        ShapeKnown = Complete = CountExact = shapeKnown;
        OrderKnown = orderKnown;
    }

    // ---- The layer being checked ------------------------------------------------------------------------------------

    public LayerDeclaration Declaration { get; private set; } = null!;

    public LayerDescriptor Descriptor { get; private set; } = null!;

    /// <summary>The layer's name (given, or Keras's default).</summary>
    public string Name { get; private set; } = string.Empty;

    public string Identifier { get; private set; } = string.Empty;

    public LayerArguments Arguments => Declaration.Arguments;

    /// <summary>The model being checked, for a finding about its declaration rather than the layer's (NG0126 on the input shape).</summary>
    public NetworkDeclaration Model { get; init; } = null!;

    // ---- What is known so far ---------------------------------------------------------------------------------------

    /// <summary>
    /// The shape the layer receives, then (after its check) the one it produces. Sizes are longs, so a shape past
    /// int.MaxValue (50,000 × 50,000) is counted exactly, not clamped. Meaningful only while <see cref="ShapeKnown"/>.
    /// </summary>
    public List<long> Shape { get; private set; } = new List<long>();

    /// <summary>
    /// Whether <see cref="Shape"/> is known: a layer whose output cannot be known stops the checks that need it until a
    /// layer whose output does not depend on its input (Dense) makes it known again. So every independent mistake is
    /// reported in one build, and none again as a mismatch it causes further on.
    /// </summary>
    public bool ShapeKnown { get; set; }

    /// <summary>Every layer's shape was known so far: the only case a spec is built.</summary>
    public bool Complete { get; set; }

    /// <summary>The parameter count so far is exact, so NG0105 can name it.</summary>
    public bool CountExact { get; set; }

    /// <summary>The layers' order is known (they are not spread over several partial declarations).</summary>
    public bool OrderKnown { get; }

    /// <summary>NG0107's "... but {2} produces": the input, or the previous layer's quoted name.</summary>
    public string Producer { get; private set; } = "the input";

    /// <summary>Trainable parameters so far.</summary>
    public long Trainable { get; private set; }

    /// <summary>Non-trainable ones so far (statistics), which count against the limit too.</summary>
    public long NonTrainable { get; private set; }

    /// <summary>The layers accepted so far, with their tensors' offsets still to be laid out (see <see cref="ParameterLayout"/>).</summary>
    public List<LayerSpec> Specs { get; } = new List<LayerSpec>();

    /// <summary>The name of the first earlier layer with a trainable tensor (where the backward pass will stop), or null.</summary>
    public string? FirstTrainable { get; private set; }

    /// <summary>The name of the first earlier layer of <paramref name="kind"/>, or null.</summary>
    public string? FirstOf(LayerKind kind) => _firstOfKind.TryGetValue(kind, out string name) ? name : null;

    /// <summary>Marks everything from here unknown until a layer makes the shape known again.</summary>
    public void LoseShape() => ShapeKnown = Complete = CountExact = false;

    // ---- Findings -----------------------------------------------------------------------------------------------------

    /// <summary>Reports <paramref name="id"/> on <paramref name="argument"/> of this layer's attribute (null: the whole attribute).</summary>
    public void Report(string id, string? argument, params string[] args) =>
        _findings.Add(new Finding(id, Declaration.AttributeIndex, argument, 0, new EquatableArray<string>(args)));

    /// <summary>Reports a finding made in full by the caller: on another attribute, or on a whole argument.</summary>
    public void Report(Finding finding) => _findings.Add(finding);

    /// <summary>Reports with properties a code fix reads.</summary>
    public void Report(string id, string? argument, DiagnosticProperty[] properties, params string[] args) =>
        _findings.Add(new Finding(id, Declaration.AttributeIndex, argument, 0, new EquatableArray<string>(args), properties.ToEquatableArray()));

    /// <summary>
    /// Accepts the layer with <paramref name="output"/> as its shape (and <see cref="Shape"/> becomes it): declares its
    /// tensors and buffers with the shapes, refuses it with NG0105 on <paramref name="countArgument"/> when its
    /// parameters pass the limit, else records its spec.
    /// </summary>
    public void Accept(List<long> output, string? countArgument)
    {
        List<long> input = Shape;
        Produce(output);
        if (!CountExact)
        {
            return;
        }

        var declared = new LayerDeclarations(Arguments, Name, Identifier, input, output);
        Descriptor.Declare(declared);
        // Each length is at most long.MaxValue (saturated); the trainable ones add as decimals, so the sum cannot wrap
        // and NG0105 names it exactly, the statistics saturate as they did when a layer counted them as one (2·n + 1).
        decimal trainable = 0;
        long nonTrainable = 0;
        foreach (LayerDeclarations.DeclaredTensor tensor in declared.Tensors)
        {
            if (tensor.Trainable)
            {
                trainable += tensor.Length;
            }
            else
            {
                nonTrainable = Add(nonTrainable, tensor.Length);
            }
        }

        decimal count = (decimal)Trainable + NonTrainable + trainable + nonTrainable;
        if (count > NetworkValidator.MaxParameters)
        {
            Report(DiagnosticIds.TooManyParameters, countArgument, Name, count.ToString("N0", CultureInfo.InvariantCulture),
                NetworkValidator.MaxParameters.ToString("N0", CultureInfo.InvariantCulture));
            Complete = CountExact = false;
            return;
        }

        Trainable += (long)trainable;
        NonTrainable += nonTrainable;
        Specs.Add(ParameterLayout.Spec(Declaration.Kind, declared));
    }

    /// <summary>Sets the shape the layer produces without accepting it (its input was unknown or wrong, its output is not).</summary>
    public void Produce(List<long> output)
    {
        Shape = output;
        ShapeKnown = true;
    }

    /// <summary>Moves on to layer <paramref name="declaration"/>, named <paramref name="name"/>.</summary>
    internal void Begin(LayerDeclaration declaration, string name, string identifier)
    {
        Declaration = declaration;
        Descriptor = LayerRegistry.Of(declaration.Kind);
        Name = name;
        Identifier = identifier;
    }

    /// <summary>Done with the current layer: it is the next one's producer, and the first of its kind if none was before.</summary>
    internal void End()
    {
        if (!_firstOfKind.ContainsKey(Declaration.Kind))
        {
            _firstOfKind[Declaration.Kind] = Name;
        }

        if (FirstTrainable is null)
        {
            var declared = new LayerDeclarations(Arguments, Name, Identifier, null, null);
            Descriptor.Declare(declared);
            foreach (LayerDeclarations.DeclaredTensor tensor in declared.Tensors)
            {
                if (tensor.Trainable)
                {
                    FirstTrainable = Name;
                    break;
                }
            }
        }

        Producer = "'" + Name + "'";
    }

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
