using System;

namespace NetGen;

/// <summary>
/// Standardizes each input feature, as Keras's <c>Normalization</c> layer: y = (x − mean) / max(√variance, 1e-7). The
/// mean and variance are non-trainable parameters computed from training data by <see cref="Network.Adapt(Data.Dataset)"/>
/// (before that they are 0 and 1, the identity), saved with the weights. It must come before every Dense layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class NormalizationAttribute : Attribute
{
    /// <summary>Layer name for the summary and the weight file. Defaults to <c>normalization</c>.</summary>
    public string? Name { get; set; }
}
