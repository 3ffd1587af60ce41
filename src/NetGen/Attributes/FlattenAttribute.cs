using System;

namespace NetGen;

/// <summary>Flattens a multi-dimensional sample (for example 28×28) into a vector. Costs nothing at run time: samples are stored row-major.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
    /// <summary>Layer name for the summary. Defaults to <c>flatten</c>, <c>flatten_1</c>, ….</summary>
    public string? Name { get; set; }
}
