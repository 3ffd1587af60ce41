namespace NetGen.Onnx;

/// <summary>How <see cref="OnnxExporter"/> names the exported graph's input, output and batch dimension.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The graph input's name (default <c>input</c>): the name to feed in ONNX Runtime's <c>Run</c>.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The graph output's name (default <c>output</c>).</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>The symbolic name of the first, dynamic dimension of the input and output (default <c>batch</c>).</summary>
    public string BatchDimensionName { get; init; } = "batch";

    /// <summary>The graph's name; null takes the model class's name.</summary>
    public string? GraphName { get; init; }
}
