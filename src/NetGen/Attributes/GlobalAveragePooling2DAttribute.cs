using System;

namespace NetGen;

/// <summary>
/// Global average pooling, as Keras's <c>GlobalAveragePooling2D</c>: a channels-last sample [height, width, channels]
/// becomes the vector [channels] of each channel's mean over every position, <c>y[c] = (1 / (h·w)) Σ_{i, j} x[i, j, c]</c>.
/// Its output is 1-D, so a Dense layer may follow it directly. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePooling2DAttribute : Attribute
{
    /// <summary>Layer name for the summary. Defaults to <c>global_average_pooling2d</c>, <c>global_average_pooling2d_1</c>, … as in Keras.</summary>
    public string? Name { get; set; }
}
