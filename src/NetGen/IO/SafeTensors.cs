using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
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
    public const string MetadataKey = SafetensorsHeader.MetadataKey;

    // Floats read or converted per step: keeps byte counts far from int.MaxValue and scratch buffers small.
    private const int ChunkFloats = 1 << 16;

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
        SafetensorsHeader header = ReadHeader(handle, fileLength, path);
        Match(header, tensors, owner, path, counters);

        var parameters = new float[length];
        foreach (TensorInfo t in tensors)
        {
            header.TryGetEntry(t.Name, out SafetensorsEntry e);
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
    private static SafetensorsHeader ReadHeader(SafeFileHandle handle, long fileLength, string path)
    {
        try
        {
            byte[] start = new byte[Math.Min(8, fileLength)];
            ReadExactly(handle, start, 0, path);
            byte[] json = new byte[SafetensorsHeader.HeaderLength(start, fileLength)];
            ReadExactly(handle, json, 8, path);
            return SafetensorsHeader.Parse(json, 0, json.Length, fileLength);
        }
        catch (SafetensorsFormatException e)
        {
            throw Invalid(path, e.Message, e);
        }
    }

    /// <summary>Checks the header against the tensors expected: the same names, F32, the exact shapes, and offsets that tile the data section.</summary>
    private static void Match(SafetensorsHeader header, IReadOnlyList<TensorInfo> tensors, string owner, string path, IReadOnlySet<string>? counters)
    {
        var expected = new SafetensorsExpected[tensors.Count];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = new SafetensorsExpected(tensors[i].Name, tensors[i].Shape, tensors[i].Length);
        }

        if (SafetensorsMatch.Problem(header, expected, owner, counters is null ? null : new HashSet<string>(counters, StringComparer.Ordinal)) is { } problem)
        {
            throw Invalid(path, problem);
        }
    }

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

}
