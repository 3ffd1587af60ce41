using System;

namespace NetGen;

/// <summary>
/// Declares a Keras-style sequential network on a <c>partial</c> class. The layers are the
/// <see cref="DenseAttribute"/>, <see cref="DropoutAttribute"/> and <see cref="FlattenAttribute"/>
/// attributes on the same class, in declaration order.
/// </summary>
/// <example>
/// <code>
/// [Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
/// [Dense(2, Activation.Sigmoid, Name = "hidden")]
/// [Dense(1, Activation.Sigmoid, Name = "output")]
/// public partial class XorNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SequentialAttribute : Attribute
{
    /// <param name="inputShape">The shape of one input sample, without the batch dimension (Keras's <c>Input(shape=...)</c>).</param>
    public SequentialAttribute(params int[] inputShape) => InputShape = inputShape;

    /// <summary>The shape of one input sample, without the batch dimension.</summary>
    public int[] InputShape { get; }

    /// <summary>The loss minimized by <c>Fit</c>. It is fixed at build time so the output activation and the loss gradient can be fused.</summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;

    /// <summary>
    /// A safetensors weights file to compile into the assembly, as the project names it among its <c>AdditionalFiles</c>
    /// (<c>&lt;AdditionalFiles Include="fashion-mlp.safetensors" /&gt;</c>). The build checks it against the model as
    /// <c>LoadWeights</c> would (an NG0304-NG0308 error otherwise) and generates <c>FromEmbeddedWeights()</c> and
    /// <c>LoadEmbeddedWeights()</c>, which start the model from it with no file at run time.
    /// </summary>
    public string? Weights { get; set; }
}
