using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>
/// Reads numeric CSV files (optionally gzip-compressed, detected by content) into float tables or datasets. Numbers
/// are parsed with the invariant culture; a bad cell is an <see cref="InvalidDataException"/> naming the file, line,
/// column and text.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads every column of <paramref name="path"/> as floats.</summary>
    public static CsvTable ReadTable(string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new CsvOptions();
        using Stream stream = Open(path);
        using var reader = new StreamReader(stream);
        return Parse(reader, options, path);
    }

    /// <summary>
    /// Reads <paramref name="path"/> as a dataset: the label column (by <see cref="CsvOptions.LabelColumnName"/> or
    /// <see cref="CsvOptions.LabelColumn"/>, default the last) is the target, every other column a feature.
    /// </summary>
    public static Dataset ReadDataset(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        CsvTable table = ReadTable(path, options);
        try
        {
            return table.ToDataset(table.ColumnIndex(options.LabelColumnName, options.LabelColumn ?? -1));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The table's own messages cannot name the file it came from.
            throw new InvalidDataException($"Cannot make a dataset of '{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses CSV text (for data that is not in a file).</summary>
    public static CsvTable Parse(TextReader reader, CsvOptions options, string source = "CSV")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        var values = new List<float>();
        string[]? names = null;
        int columns = -1, lineNumber = 0, firstLine = 0, dataLines = 0;
        string firstText = string.Empty;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (lineNumber <= options.SkipLines || line.Trim().Length == 0)
            {
                continue;
            }

            if (lineNumber == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..]; // a byte-order mark a TextReader did not strip (files opened by path never have one here)
            }

            string[] fields = Split(line, options.Separator, source, lineNumber);
            if (firstLine == 0)
            {
                (firstLine, firstText) = (lineNumber, line);
            }

            if (names is null && options.HasHeader)
            {
                names = Array.ConvertAll(fields, f => f.Trim());
                columns = fields.Length;
                continue;
            }

            if (columns < 0)
            {
                columns = fields.Length;
            }
            else if (fields.Length != columns)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: {fields.Length} columns, but the {(names is null ? "first row has" : "header has")} {columns}." +
                    CountsLineHint(firstLine, firstText, options));
            }

            dataLines++;

            for (int c = 0; c < fields.Length; c++)
            {
                string text = fields[c].Trim();
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    string column = names is null ? $"column {c + 1}" : $"column {c + 1} ('{names[c]}')";
                    string hint = dataLines == 1 ? CountsLineHint(firstLine, firstText, options) : string.Empty;
                    throw new InvalidDataException($"{source}, line {lineNumber}, {column}: '{text}' is not a finite number." + hint);
                }

                values.Add(value);
            }
        }

        if (columns <= 0 || values.Count == 0)
        {
            throw new InvalidDataException($"{source} has no data rows.");
        }

        names ??= Array.ConvertAll(new int[columns], _ => string.Empty);
        for (int c = 0; c < columns; c++)
        {
            if (names[c].Length == 0)
            {
                names[c] = "column" + (c + 1).ToString(CultureInfo.InvariantCulture);
            }
        }

        return new CsvTable(names, values.ToArray());
    }

    /// <summary>
    /// A hint for a file in scikit-learn's layout, whose first line holds counts ("150,4,setosa,versicolor,virginica")
    /// and whose second the column names: read as the header, that line's count of fields rarely matches the rows',
    /// and the real header becomes a row of words. Empty unless the first line read starts with a whole number, which
    /// no real header does.
    /// </summary>
    private static string CountsLineHint(int firstLine, string firstText, CsvOptions options)
    {
        string trimmed = firstText.TrimStart();
        int end = options.Separator == ' ' ? trimmed.IndexOfAny([' ', '\t']) : trimmed.IndexOf(options.Separator, StringComparison.Ordinal);
        string first = (end < 0 ? trimmed : trimmed[..end]).Trim();
        if (!options.HasHeader || !int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return string.Empty;
        }

        string shown = firstText.Length > 40 ? firstText[..40] + "…" : firstText;
        return $" Line {firstLine} ('{shown}') looks like a line of counts before the real header, as in scikit-learn's data files: skip it with new CsvOptions {{ SkipLines = {firstLine} }}.";
    }

    /// <summary>
    /// The fields of one line. A field in double quotes may hold the separator, and "" inside it stands for one quote
    /// (RFC 4180: header names such as "length, cm"); the quotes are removed. Whitespace-separated files have no quoting.
    /// </summary>
    private static string[] Split(string line, char separator, string source, int lineNumber)
    {
        if (separator == ' ')
        {
            // No quoting rules here, but a quoted name or number ("x1" "x2", as R's write.table writes) loses its quotes.
            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length; i++)
            {
                if (words[i].Length >= 2 && words[i][0] == '"' && words[i][^1] == '"')
                {
                    words[i] = words[i][1..^1];
                }
            }

            return words;
        }

        if (!line.Contains('"'))
        {
            return line.Split(separator);
        }

        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch != '"')
                {
                    field.Append(ch);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (ch == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (ch == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"{source}, line {lineNumber}: a quoted field is not closed (quoted fields cannot span lines).");
        }

        fields.Add(field.ToString());
        return fields.ToArray();
    }

    /// <summary>
    /// The file's text: the file itself, or for a gzip file (recognised by its first bytes) all of it decompressed
    /// and checked first, so a corrupt or truncated file is reported as such, with its name, instead of as a shorter
    /// table or a bad cell. CSV files this library meets are small enough to decompress in memory.
    /// </summary>
    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (!GzipTrailer.IsGzip(file))
        {
            return file;
        }

        using (file)
        {
            var text = new MemoryStream();
            try
            {
                using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
                gzip.CopyTo(text);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Invalid CSV file '{path}': the file is damaged: its gzip data cannot be decompressed ({e.Message}).", e);
            }

            if (GzipTrailer.Mismatch(file, text.Length) is { } mismatch)
            {
                throw new InvalidDataException($"Invalid CSV file '{path}': {mismatch}.");
            }

            text.Position = 0;
            return text;
        }
    }
}

/// <summary>A numeric table: named columns, rows of floats (row-major).</summary>
public sealed class CsvTable
{
    private readonly float[] _values;

    internal CsvTable(string[] columns, float[] values)
    {
        Columns = columns;
        _values = values;
        Rows = values.Length / columns.Length;
    }

    /// <summary>Column names (from the header, or column1, column2, …).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of data rows.</summary>
    public int Rows { get; }

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The value at <paramref name="row"/>, <paramref name="column"/>.</summary>
    public float this[int row, int column] => _values[(row * Columns.Count) + column];

    /// <summary>A column's index from its name, or from an index that may count from the end (−1 is the last).</summary>
    public int ColumnIndex(string? name, int index = -1)
    {
        if (name is not null)
        {
            for (int c = 0; c < Columns.Count; c++)
            {
                if (Columns[c] == name)
                {
                    return c;
                }
            }

            throw new ArgumentException($"No column named '{name}'; the columns are {string.Join(", ", Columns)}.", nameof(name));
        }

        int resolved = index < 0 ? Columns.Count + index : index;
        if (resolved < 0 || resolved >= Columns.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Column index {index} is outside the table's {Columns.Count} columns.");
        }

        return resolved;
    }

    /// <summary>Splits into features (every other column) and a one-value target (<paramref name="labelColumn"/>).</summary>
    public Dataset ToDataset(int labelColumn)
    {
        int columns = Columns.Count;
        if (columns < 2)
        {
            throw new InvalidOperationException("A dataset needs at least one feature column besides the label.");
        }

        var features = new float[Rows * (columns - 1)];
        var targets = new float[Rows];
        for (int r = 0, f = 0; r < Rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                if (c == labelColumn)
                {
                    targets[r] = this[r, c];
                }
                else
                {
                    features[f++] = this[r, c];
                }
            }
        }

        return new Dataset(features, columns - 1, targets, 1);
    }
}
