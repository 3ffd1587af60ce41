using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Layers;

/// <summary>
/// Everything about one layer kind, in one place: how its attribute is shaped and read, its checks and shape
/// inference, the tensors and buffers it declares, the code of its forward and backward passes, and any member of its
/// own the model gets. The passes loop over the layers and ask each one's descriptor; nothing else switches on the
/// kind. A kind is registered by one line in <see cref="LayerRegistry"/>; docs/layers.md says how to add one.
/// </summary>
internal abstract class LayerDescriptor
{
    /// <summary>The kind (its value mirrors the runtime's <c>NetGen.LayerKind</c>).</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>The attribute's class name in namespace NetGen (<c>DenseAttribute</c>).</summary>
    public abstract string AttributeName { get; }

    /// <summary>The stem of Keras's default names (<c>dense</c>, <c>dense_1</c>…) and the summary's type column.</summary>
    public virtual string KerasName => Kind.ToString();

    /// <summary>The stem of Keras's default names where it is not <see cref="KerasName"/> in lower case (<c>max_pooling2d</c>).</summary>
    public virtual string DefaultNameStem => KerasName.ToLowerInvariant();

    // ---- The attribute ----------------------------------------------------------------------------------------------

    /// <summary>Whether the attribute's constructor has the runtime's parameter types, so its arguments can be read safely.</summary>
    public abstract bool ConstructorMatches(ImmutableArray<IParameterSymbol> parameters);

    /// <summary>Whether a named argument the descriptor reads has the runtime's type (others are not read; <c>Name</c> is the parser's).</summary>
    public virtual bool PropertyMatches(string property, ITypeSymbol type) => true;

    /// <summary>The arguments of a well-formed attribute; <see cref="Defaults"/> stand in for a malformed one.</summary>
    public abstract LayerArguments Read(AttributeArguments attribute);

    /// <summary>The arguments of an attribute the compiler could not bind.</summary>
    public abstract LayerArguments Defaults { get; }

    // ---- Checks and shapes ------------------------------------------------------------------------------------------

    /// <summary>
    /// Checks the layer's arguments and its input (<see cref="LayerValidation.Shape"/>), reports what is wrong on the
    /// argument at fault, and infers the output: <see cref="LayerValidation.Accept"/> with the output shape when the
    /// layer is sound and its input known, then leaves <see cref="LayerValidation.Shape"/> as its output (or marks it unknown).
    /// </summary>
    public abstract void Validate(LayerValidation layer);

    /// <summary>
    /// The layer's tensors and buffers, named after <see cref="LayerDeclarations.Identifier"/>: the one list the
    /// generated members, the tensor table, the parameter layout and the name-clash checks are built from. Names may
    /// depend on the arguments only; lengths on the shapes too (0 while they are unknown).
    /// </summary>
    public abstract void Declare(LayerDeclarations layer);

    /// <summary>
    /// Whether the training forward pass writes into the layer's tensors (BatchNormalization's moving statistics): the
    /// model then runs that pass as a weights write, so concurrent predictions never read a half-updated tensor. Such a
    /// kind declares the model member <c>TrainingForwardWritesWeights</c> (<see cref="LayerDeclarations.ModelMember"/>).
    /// </summary>
    public virtual bool WritesTensorsInTraining => false;

    /// <summary>The output layer's units and activation, which the loss is checked against; null for a kind that cannot end a model.</summary>
    public virtual OutputHead? Head(LayerArguments arguments) => null;

    // ---- Emitted code -----------------------------------------------------------------------------------------------

    /// <summary>The forward pass of the layer, in training (into its buffers) or inference (into the caller's scratch).</summary>
    public abstract void EmitForward(ForwardPass pass, LayerSpec layer);

    /// <summary>
    /// The backward pass: turns <c>gradient</c> (dL/d output) into this layer's tensor gradients and, unless it is the
    /// first trainable layer, dL/d input (in place, or into <see cref="BackwardPass.NextGradient"/>).
    /// </summary>
    public abstract void EmitBackward(BackwardPass pass, LayerSpec layer);

    /// <summary>
    /// Floats per sample the backward pass writes as this layer's input gradient into a fresh ping-pong buffer (0 when
    /// it works in place or passes the gradient through); the buffers are as long as the largest.
    /// </summary>
    public abstract int InputGradientLength(LayerSpec layer);

    /// <summary>The summary's type column: <c>Dense, relu</c>.</summary>
    public virtual string SummaryType(LayerSpec layer) => KerasName;

    /// <summary>The runtime LayerInfo's activation, slope and rate (the public record keeps these flat fields).</summary>
    public virtual (ActivationKind Activation, double Alpha, double Rate) InfoFields(LayerArguments arguments) => (ActivationKind.Linear, 0, 0);

    /// <summary>
    /// The runtime LayerInfo's kind-specific properties as an object initializer's assignments (<c>Window = …</c>,
    /// <c>Epsilon = …</c>), or null for none.
    /// </summary>
    public virtual string? InfoProperties(LayerSpec layer) => null;

    /// <summary>Members of the model's own for this layer's run-time behaviour (Normalization's <c>Adapt</c>); none by default.</summary>
    public virtual void EmitMembers(MemberWriter members, LayerSpec layer)
    {
    }
}

/// <summary>What the loss checks need of the output layer.</summary>
internal sealed record OutputHead(int Units, ActivationKind Activation);
