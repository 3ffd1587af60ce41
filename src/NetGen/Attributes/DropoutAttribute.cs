using System;

namespace NetGen;

/// <summary>
/// Inverted dropout: while training, each input is zeroed with probability <see cref="Rate"/> and the others are
/// scaled by 1 / (1 − rate); at inference the layer is the identity.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <param name="rate">Fraction of the inputs to drop, in [0, 1).</param>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>Fraction of the inputs to drop, in [0, 1).</summary>
    public double Rate { get; }

    /// <summary>Layer name for the summary. Defaults to <c>dropout</c>, <c>dropout_1</c>, ….</summary>
    public string? Name { get; set; }
}
