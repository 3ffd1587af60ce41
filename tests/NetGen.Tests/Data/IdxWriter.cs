using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen.Tests.Data;

/// <summary>Builds IDX files byte by byte, so tests can write well-formed ones and every kind of broken one.</summary>
internal static class IdxWriter
{
    /// <summary>A header: 00 00, <paramref name="type"/>, the rank, then each dimension big-endian.</summary>
    public static byte[] Header(byte type, params uint[] dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = type;
        header[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
        }

        return header;
    }

    /// <summary>A well-formed unsigned-byte file of <paramref name="dimensions"/> whose element i is (i·7 + 3) mod 256.</summary>
    public static byte[] UnsignedBytes(params int[] dimensions)
    {
        int count = 1;
        foreach (int d in dimensions)
        {
            count *= d;
        }

        return [.. Header(0x08, Array.ConvertAll(dimensions, d => (uint)d)), .. Pattern(count)];
    }

    public static byte[] Pattern(int count)
    {
        var values = new byte[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (byte)((i * 7) + 3);
        }

        return values;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="raw"/> (gzip-compressed if asked) to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path, byte[] raw, bool gzip)
    {
        File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
        return path;
    }
}
