using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>
/// The contents of one IDX file of unsigned bytes: its dimensions (outermost first) and its payload, row-major.
/// <see cref="IdxReader.Read(string)"/> has already checked that the payload holds exactly the product of the dimensions.
/// </summary>
public sealed class IdxFile
{
    private readonly int[] _dimensions;
    private readonly byte[] _data;

    internal IdxFile(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        _dimensions = dimensions;
        _data = data;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The dimensions, outermost first: [count, rows, columns] for images, [count] for labels.</summary>
    public IReadOnlyList<int> Dimensions => _dimensions;

    /// <summary>The payload: one byte per element, row-major.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The outermost dimension: how many items (images, labels) the file holds.</summary>
    public int Count => _dimensions[0];

    /// <summary>Elements per item: the product of every dimension but the first (1 for a rank-1 file).</summary>
    public int ItemSize => _data.Length / _dimensions[0];

    /// <summary>The dimensions as text, like <c>[60000, 28, 28]</c>.</summary>
    public string Shape => "[" + string.Join(", ", _dimensions) + "]";

    /// <summary>
    /// Every element as a float divided by <paramref name="divisor"/>: 255 maps pixels to [0, 1] (0 to 0, 255 to exactly 1).
    /// </summary>
    public float[] ToFloats(float divisor = 1f)
    {
        if (!(divisor > 0) || !float.IsFinite(divisor))
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be a finite number > 0.");
        }

        var values = new float[_data.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _data[i] / divisor;
        }

        return values;
    }
}
