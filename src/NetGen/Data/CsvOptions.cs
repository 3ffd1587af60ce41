namespace NetGen.Data;

/// <summary>How <see cref="CsvReader"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The field separator. A space means any run of spaces or tabs (whitespace-separated files).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>Lines to skip before the header (or the first row), such as scikit-learn's "150,4,setosa,…" line.</summary>
    public int SkipLines { get; init; }

    /// <summary>Whether the first line read holds column names.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The target column by index (negative counts from the end: −1 is the last). Used by <see cref="CsvReader.ReadDataset"/>.</summary>
    public int? LabelColumn { get; init; }

    /// <summary>The target column by header name; takes precedence over <see cref="LabelColumn"/>.</summary>
    public string? LabelColumnName { get; init; }
}
