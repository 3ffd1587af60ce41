using System;
using System.Buffers.Binary;
using System.IO;

namespace NetGen.Data;

/// <summary>
/// What a gzip file's last 4 bytes say about its length. GZipStream verifies a trailer (CRC-32 and length) that is
/// there, but ends quietly when the file stops after complete deflate data with the trailer cut off, so a reader that
/// trusts it alone takes a truncated file for a shorter valid one.
/// </summary>
internal static class GzipTrailer
{
    /// <summary>Whether <paramref name="file"/> starts with the gzip magic bytes 1f 8b; leaves its position at 0.</summary>
    public static bool IsGzip(FileStream file)
    {
        Span<byte> head = stackalloc byte[2];
        int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }

    /// <summary>
    /// Null when the length field in the last 4 bytes of <paramref name="file"/> matches <paramref name="decompressed"/>
    /// (modulo 2^32, as gzip records it); otherwise why not, for an error message. A file cut short fails this except
    /// by a 1 in 2^32 coincidence.
    /// </summary>
    public static string? Mismatch(FileStream file, long decompressed)
    {
        if (file.Length < 4)
        {
            return $"the gzip file is truncated: it holds only {file.Length} byte(s)";
        }

        Span<byte> size = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(size);
        uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(size);
        return recorded == (uint)decompressed
            ? null
            : $"the gzip stream does not end with a trailer recording its length: it decompressed to {decompressed} bytes, but its last 4 bytes read {recorded}. " +
              "The file was cut short, or it holds several concatenated gzip members, which this reader does not accept";
    }
}
