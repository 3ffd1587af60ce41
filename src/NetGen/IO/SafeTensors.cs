using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace NetGen.IO;

/// <summary>
/// The safetensors format (Hugging Face's), restricted to what a NetGen network holds: float32 tensors.
/// </summary>
/// <remarks>
/// <para>Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}</c>, plus an optional <c>"__metadata__"</c>
/// object of string values, padded with spaces; then the data section, where each tensor's little-endian values
/// occupy bytes [begin, end) counted from the start of the data section.</para>
/// <para>Writing puts the tensors in parameter-buffer order, back to back, and pads the header to a multiple of 8 so
/// the data is aligned. Reading accepts any key order, whitespace or padding, and a missing <c>__metadata__</c>, but is
/// otherwise as strict as the reference implementation: the tensors must tile the data section exactly, without
/// overlaps, gaps or trailing bytes.</para>
/// </remarks>
internal static class SafeTensors
{
    /// <summary>The reference implementation's cap on the header, which keeps a corrupt length from allocating gigabytes.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    // Floats read or converted per step: keeps byte counts far from int.MaxValue and scratch buffers small.
    private const int ChunkFloats = 1 << 16;

    // Names listed in an error message before the rest are summarized as a count.
    private const int MaxListedNames = 12;

    /// <summary>Writes <paramref name="parameters"/>, split into <paramref name="info"/>'s tensors, to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, NetworkInfo info, ReadOnlySpan<float> parameters, IEnumerable<KeyValuePair<string, string>> metadata) =>
        Write(stream, info.Tensors, parameters, metadata);

    /// <summary>Writes the <paramref name="tensors"/> of <paramref name="buffer"/> (each at its offset) to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<TensorInfo> tensors, ReadOnlySpan<float> buffer, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        byte[] header = EncodeHeader(tensors, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (TensorInfo t in tensors)
        {
            WriteLittleEndian(stream, buffer.Slice(t.Offset, t.Length));
        }
    }

    /// <summary>The header JSON, padded with spaces to a multiple of 8 bytes.</summary>
    public static byte[] EncodeHeader(NetworkInfo info, IEnumerable<KeyValuePair<string, string>> metadata) => EncodeHeader(info.Tensors, metadata);

    /// <summary>The header JSON for <paramref name="tensors"/>, padded with spaces to a multiple of 8 bytes.</summary>
    public static byte[] EncodeHeader(IReadOnlyList<TensorInfo> tensors, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            long begin = 0;
            foreach (TensorInfo t in tensors)
            {
                long end = begin + (4L * t.Length);
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                begin = end;
            }

            json.WriteStartObject(MetadataKey);
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                json.WriteString(entry.Key, entry.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) & ~7;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Reads the parameters of a network described by <paramref name="info"/> from the file at <paramref name="path"/>,
    /// after checking that the file holds exactly that network's tensors.
    /// </summary>
    /// <returns>A new buffer laid out like <see cref="Network.Parameters"/>.</returns>
    /// <exception cref="InvalidDataException">The file is not safetensors, is damaged, or holds other tensors.</exception>
    public static float[] ReadParameters(string path, NetworkInfo info, IReadOnlySet<string>? counters = null) =>
        ReadTensors(path, info.Tensors, info.ParameterCount, info.Name, counters);

    /// <summary>
    /// Reads exactly <paramref name="tensors"/> (names, F32, shapes) from the file at <paramref name="path"/> into a new
    /// buffer of <paramref name="length"/> floats, each at its offset; <paramref name="owner"/> names what expects them.
    /// </summary>
    /// <remarks>
    /// <paramref name="counters"/> names what the file may also hold as 64-bit integer scalars (I64, shape []) to be read
    /// past: PyTorch's <c>num_batches_tracked</c>. Anything else under such a name is refused.
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is not safetensors, is damaged, or holds other tensors.</exception>
    public static float[] ReadTensors(string path, IReadOnlyList<TensorInfo> tensors, int length, string owner, IReadOnlySet<string>? counters = null)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = RandomAccess.GetLength(handle);
        Header header = ReadHeader(handle, fileLength, path);
        Dictionary<string, Entry> entries = Match(header, tensors, owner, path, counters);

        var parameters = new float[length];
        foreach (TensorInfo t in tensors)
        {
            Entry e = entries[t.Name];
            long position = header.DataStart + (long)e.Begin;
            for (int done = 0; done < t.Length; done += ChunkFloats)
            {
                Span<float> chunk = parameters.AsSpan(t.Offset + done, Math.Min(ChunkFloats, t.Length - done));
                ReadExactly(handle, MemoryMarshal.AsBytes(chunk), position, path);
                position += 4L * chunk.Length;
            }
        }

        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(parameters.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }

        return parameters;
    }

    /// <summary>The <c>__metadata__</c> of the file at <paramref name="path"/> (empty if it has none).</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(handle, RandomAccess.GetLength(handle), path).Metadata;
    }

    /// <summary>Reads and parses the header, checking its structure but not yet what the tensors are.</summary>
    private static Header ReadHeader(SafeFileHandle handle, long fileLength, string path)
    {
        if (fileLength < 8)
        {
            throw Invalid(path, $"the file is {fileLength} bytes long, too short for the 8-byte header length that starts a safetensors file");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(handle, lengthBytes, 0, path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
        {
            throw Invalid(path, $"the header length is {headerLength} bytes, more than the format's limit of {MaxHeaderLength}: the header length is corrupt or this is not a safetensors file");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw Invalid(path, $"the header length is {headerLength} bytes but only {fileLength - 8} bytes follow it: the file is truncated or its header length is corrupt");
        }

        if (headerLength < 2)
        {
            throw Invalid(path, $"the header length is {headerLength} bytes, too short for a JSON object");
        }

        byte[] json = new byte[headerLength];
        ReadExactly(handle, json, 8, path);
        if (json[0] != (byte)'{')
        {
            throw Invalid(path, "the header does not start with '{', so it is not a safetensors JSON header");
        }

        if (!Utf8.IsValid(json))
        {
            throw Invalid(path, "the header is not valid UTF-8");
        }

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"the header is a JSON {Kind(document.RootElement)}, not an object");
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Invalid(path, $"the header names \"{property.Name}\" twice");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                }
                else
                {
                    entries.Add(ReadEntry(property, path));
                }
            }
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"the header is not valid JSON ({e.Message})", e);
        }

        return new Header(entries, metadata, 8 + (long)headerLength, fileLength - 8 - (long)headerLength);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"{MetadataKey} is a JSON {Kind(value)}, but it must be an object of strings");
        }

        foreach (JsonProperty p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, $"{MetadataKey}.{p.Name} is a JSON {Kind(p.Value)}, but metadata values must be strings");
            }

            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
            {
                throw Invalid(path, $"{MetadataKey} names \"{p.Name}\" twice");
            }
        }
    }

    private static Entry ReadEntry(JsonProperty property, string path)
    {
        string name = property.Name;
        if (property.Value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"tensor {name} is described by a JSON {Kind(property.Value)}, not an object with dtype, shape and data_offsets");
        }

        string? dtype = null;
        long[]? shape = null;
        ulong[]? offsets = null;
        foreach (JsonProperty field in property.Value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString();
                    break;
                case "dtype":
                    throw Invalid(path, $"tensor {name} has a dtype that is a JSON {Kind(field.Value)}, not a string");
                case "shape":
                    shape = Array.ConvertAll(Integers(field.Value, name, "shape", path), d => (long)d);
                    break;
                case "data_offsets":
                    offsets = Integers(field.Value, name, "data_offsets", path);
                    if (offsets.Length != 2)
                    {
                        throw Invalid(path, $"tensor {name} has {offsets.Length} data_offsets; it needs exactly two, [begin, end]");
                    }

                    break;
                default:
                    throw Invalid(path, $"tensor {name} has an unknown field \"{field.Name}\" (expected dtype, shape and data_offsets)");
            }
        }

        string? missing = dtype is null ? "dtype" : shape is null ? "shape" : offsets is null ? "data_offsets" : null;
        if (missing is not null)
        {
            throw Invalid(path, $"tensor {name} has no {missing}");
        }

        return new Entry(name, dtype!, shape!, offsets![0], offsets[1]);
    }

    private static ulong[] Integers(JsonElement value, string tensor, string field, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, $"tensor {tensor} has a {field} that is a JSON {Kind(value)}, not an array of integers");
        }

        var result = new ulong[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            // Shapes are small; offsets fit in a long in any real file, so anything past long.MaxValue is corrupt anyway.
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetUInt64(out ulong n) || n > long.MaxValue)
            {
                throw Invalid(path, $"tensor {tensor} has {field} {item.GetRawText()}, which is not a non-negative integer");
            }

            result[i++] = n;
        }

        return result;
    }

    /// <summary>Checks the header against the network: the same tensor names, F32, the exact shapes, and offsets that tile the data section.</summary>
    private static Dictionary<string, Entry> Match(Header header, IReadOnlyList<TensorInfo> tensors, string owner, string path, IReadOnlySet<string>? counters)
    {
        var byName = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (Entry e in header.Entries)
        {
            byName.Add(e.Name, e);
        }

        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorInfo t in tensors)
        {
            expected.Add(t.Name);
        }

        var missing = tensors.Where(t => !byName.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        var unexpected = header.Entries.Where(e => !expected.Contains(e.Name) && counters?.Contains(e.Name) != true).Select(e => e.Name).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var message = new StringBuilder();
            message.Append(CultureInfo.InvariantCulture, $"the file holds tensors {List(header.Entries.Select(e => e.Name).ToList())}; {owner} expects {List(tensors.Select(t => t.Name).ToList())}");
            if (missing.Count > 0)
            {
                message.Append(CultureInfo.InvariantCulture, $". Missing: {List(missing)}");
            }

            if (unexpected.Count > 0)
            {
                message.Append(CultureInfo.InvariantCulture, $". Unexpected: {List(unexpected)}");
            }

            throw Invalid(path, message.ToString());
        }

        var problems = new List<string>();
        foreach (TensorInfo t in tensors)
        {
            Entry e = byName[t.Name];
            if (e.DType != "F32")
            {
                problems.Add($"{t.Name} has dtype {e.DType} in the file, but {owner} holds F32 (float32) parameters");
                continue;
            }

            if (!SameShape(e.Shape, t.Shape))
            {
                problems.Add($"{t.Name} has shape {Shape(e.Shape)} in the file but {Shape(t.Shape)} in {owner}");
                continue;
            }

            ulong needed = 4UL * (ulong)t.Length;
            if (e.Begin > e.End)
            {
                problems.Add($"{t.Name} has data_offsets [{e.Begin}, {e.End}], which run backwards");
            }
            else if (e.End - e.Begin != needed)
            {
                problems.Add($"{t.Name} has data_offsets [{e.Begin}, {e.End}] spanning {e.End - e.Begin} bytes, but F32 shape {Shape(t.Shape)} takes {needed}");
            }
            else if (e.End > (ulong)header.DataLength)
            {
                problems.Add($"{t.Name} has data_offsets [{e.Begin}, {e.End}] but the data section holds only {header.DataLength} bytes: the file is truncated or its header is corrupt");
            }
        }

        foreach (Entry e in header.Entries.Where(e => counters?.Contains(e.Name) == true))
        {
            if (e.DType != "I64" || e.Shape.Length != 0 || e.End - e.Begin != 8)
            {
                problems.Add($"{e.Name} has dtype {e.DType}, shape {Shape(e.Shape)} and data_offsets [{e.Begin}, {e.End}] in the file, but a batch counter is an I64 scalar (shape []) of 8 bytes");
            }
        }

        if (problems.Count == 0)
        {
            CheckTiling(header, problems);
        }

        if (problems.Count > 0)
        {
            throw Invalid(path, string.Join("; ", problems));
        }

        return byName;
    }

    /// <summary>Checks that the tensors cover the data section exactly: no overlaps, no gaps, nothing after the last one.</summary>
    private static void CheckTiling(Header header, List<string> problems)
    {
        var sorted = header.Entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        ulong position = 0;
        Entry? previous = null;
        foreach (Entry e in sorted)
        {
            if (e.Begin < position)
            {
                problems.Add($"{previous!.Name} (data_offsets [{previous.Begin}, {previous.End}]) and {e.Name} (data_offsets [{e.Begin}, {e.End}]) overlap");
            }
            else if (e.Begin > position)
            {
                problems.Add(previous is null
                    ? $"the data section starts with {e.Begin} bytes that belong to no tensor (the first, {e.Name}, begins at {e.Begin}); safetensors data must be contiguous"
                    : $"{e.Begin - position} bytes between {previous.Name} and {e.Name} belong to no tensor; safetensors data must be contiguous");
            }

            if (e.End > position)
            {
                position = e.End;
                previous = e;
            }
        }

        if (problems.Count == 0 && position != (ulong)header.DataLength)
        {
            problems.Add($"the data section holds {header.DataLength} bytes but the tensors end at byte {position}: {(ulong)header.DataLength - position} bytes after them belong to no tensor");
        }
    }

    private static bool SameShape(long[] file, IReadOnlyList<int> model)
    {
        if (file.Length != model.Count)
        {
            return false;
        }

        for (int i = 0; i < file.Length; i++)
        {
            if (file[i] != model[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string Shape(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

    private static string List(List<string> names) =>
        names.Count == 0 ? "none"
        : names.Count <= MaxListedNames ? string.Join(", ", names)
        : string.Join(", ", names.Take(MaxListedNames)) + $", … ({names.Count - MaxListedNames} more)";

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"Cannot load weights from '{path}': {problem}.", inner);

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long position, string path)
    {
        while (buffer.Length > 0)
        {
            int n = RandomAccess.Read(handle, buffer, position);
            if (n == 0)
            {
                // The length was checked up front, so the file shrank while it was being read.
                throw Invalid(path, $"the file ended at byte {position} while it was being read");
            }

            buffer = buffer[n..];
            position += n;
        }
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            for (int done = 0; done < values.Length; done += ChunkFloats)
            {
                stream.Write(MemoryMarshal.AsBytes(values.Slice(done, Math.Min(ChunkFloats, values.Length - done))));
            }

            return;
        }

        int[] scratch = ArrayPool<int>.Shared.Rent(Math.Min(ChunkFloats, values.Length));
        try
        {
            for (int done = 0; done < values.Length; done += ChunkFloats)
            {
                ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values.Slice(done, Math.Min(ChunkFloats, values.Length - done)));
                Span<int> swapped = scratch.AsSpan(0, bits.Length);
                BinaryPrimitives.ReverseEndianness(bits, swapped);
                stream.Write(MemoryMarshal.AsBytes(swapped));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }

    private sealed record Entry(string Name, string DType, long[] Shape, ulong Begin, ulong End);

    private sealed record Header(List<Entry> Entries, Dictionary<string, string> Metadata, long DataStart, long DataLength);
}
