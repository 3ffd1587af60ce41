using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes, a type byte and a
/// rank byte), one big-endian 32-bit size per dimension, then the elements, row-major. Files may be gzip-compressed
/// (recognised by their first two bytes, 1f 8b, whatever the extension) or raw. Only unsigned bytes (type 0x08) are
/// supported. Anything malformed throws <see cref="InvalidDataException"/> naming the file and what is wrong with it.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByte = 0x08;
    private const int ChunkSize = 1 << 20;
    private const string DecompressedKey = "NetGen.IdxReader.Decompressed";

    /// <summary>Reads and checks the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes.</exception>
    public static IdxFile Read(string path) => Read(path, imageShape: null);

    /// <summary>
    /// Reads <paramref name="path"/>; with <paramref name="imageShape"/> (rows, columns) the header must describe images
    /// of that shape, checked before the payload is read, so a wrong file costs no memory for its declared size.
    /// </summary>
    private static IdxFile Read(string path, (int Rows, int Columns)? imageShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        if (!GzipTrailer.IsGzip(file))
        {
            return Read(file, path, compressed: false, fileLength: file.Length, imageShape);
        }

        IdxFile idx;
        using (var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
        {
            try
            {
                idx = Read(gzip, path, compressed: true, fileLength: null, imageShape);
            }
            catch (InvalidDataException e) when (e.Data[nameof(IdxReader)] is null)
            {
                // GZipStream's own message names no file, and ".. unsupported compression method" does not say it is damaged.
                throw Error(path, $"the file is damaged: its gzip data cannot be decompressed ({e.Message})", e);
            }
            catch (InvalidDataException e) when (e.Data[DecompressedKey] is int got && GzipTrailer.Mismatch(file, got) is not null)
            {
                // GZipStream ends quietly where a file cut inside its first bytes stops: it is not a tiny valid file.
                throw Error(path, $"the gzip file is truncated or damaged: it stops after {file.Length} byte(s), which decompress to only {got}", e);
            }
        }

        if (GzipTrailer.Mismatch(file, 4L + (4L * idx.Dimensions.Count) + idx.Data.Length) is { } mismatch)
        {
            throw Error(path, mismatch);
        }

        return idx;
    }

    /// <summary>
    /// Reads images of <paramref name="rows"/> × <paramref name="columns"/> unsigned-byte pixels (an IDX file of shape
    /// [count, rows, columns]) as floats in [0, 1], one row-major image of rows·columns values after another.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed or its images are not rows × columns.</exception>
    public static float[] ReadImages(string path, int rows = 28, int columns = 28)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        return Read(path, (rows, columns)).ToFloats(255f);
    }

    /// <summary>Reads one unsigned-byte label per sample (an IDX file of shape [count]) as floats.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or not of rank 1.</exception>
    public static float[] ReadLabels(string path)
    {
        IdxFile idx = Read(path);
        if (idx.Dimensions.Count != 1)
        {
            throw Error(path, $"expected labels of shape [count], but the file holds shape {idx.Shape}");
        }

        return idx.ToFloats();
    }

    /// <summary>
    /// Pairs an images file (<see cref="ReadImages"/>) with a labels file (<see cref="ReadLabels"/>): features are
    /// rows·columns pixels in [0, 1], the target is the label as one float.
    /// </summary>
    /// <exception cref="InvalidDataException">Either file is malformed, or they hold different numbers of samples.</exception>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int rows = 28, int columns = 28)
    {
        float[] pixels = ReadImages(imagesPath, rows, columns);
        float[] labels = ReadLabels(labelsPath);
        int images = pixels.Length / (rows * columns);
        if (images != labels.Length)
        {
            throw new InvalidDataException(
                $"The images file '{imagesPath}' holds {images} images but the labels file '{labelsPath}' holds {labels.Length} labels: " +
                "they must describe the same samples, one label per image.");
        }

        return new Dataset(pixels, rows * columns, labels, 1);
    }

    private static IdxFile Read(Stream stream, string path, bool compressed, long? fileLength, (int Rows, int Columns)? imageShape)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            InvalidDataException error = Error(path, $"it holds {got} byte(s), too few for the 4-byte IDX magic number");
            if (compressed)
            {
                error.Data[DecompressedKey] = got; // the caller tells a cut gzip file from a tiny valid one by its trailer
            }

            throw error;
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw Error(path,
                $"bad magic number {Convert.ToHexString(magic)}: an IDX file starts with two zero bytes, a type byte and a rank byte " +
                "(00000803 for unsigned-byte images, 00000801 for labels)");
        }

        if (magic[2] != UnsignedByte)
        {
            throw Error(path, $"element type 0x{magic[2]:X2} ({TypeName(magic[2])}) is not supported: only 0x08 (unsigned byte) is");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw Error(path, "rank 0 (magic number 00000800): an IDX file needs at least one dimension");
        }

        byte[] sizes = new byte[4 * rank];
        got = stream.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false);
        if (got < sizes.Length)
        {
            throw Error(path, $"the header declares rank {rank}, which needs {sizes.Length} bytes of dimension sizes, but the file ends after {got}");
        }

        int[] dimensions = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(4 * d));
            if (size == 0 || size > int.MaxValue)
            {
                throw Error(path, $"dimension {d} of {rank} is {size}: every dimension must be between 1 and {int.MaxValue}");
            }

            dimensions[d] = (int)size;
            expected *= size; // cannot overflow: expected ≤ Array.MaxLength < 2^31 before this step, size < 2^31
            if (expected > Array.MaxLength)
            {
                throw Error(path, $"the dimensions [{string.Join(", ", dimensions[..(d + 1)])}{(d + 1 < rank ? ", ..." : "")}] " +
                    $"describe more than {Array.MaxLength} elements, the most one array can hold");
            }
        }

        if (imageShape is (int rows, int columns) && (rank != 3 || dimensions[1] != rows || dimensions[2] != columns))
        {
            throw Error(path, $"expected images of shape [count, {rows}, {columns}], but the file holds shape [{string.Join(", ", dimensions)}]");
        }

        long headerLength = 4 + sizes.Length;
        if (fileLength is long length && length - headerLength < expected)
        {
            // A raw file states its payload length up front: refuse before allocating for a size that is not there.
            throw Truncated(path, dimensions, expected, length - headerLength);
        }

        byte[] data = ReadPayload(stream, (int)expected, out int received);
        if (received < expected)
        {
            throw Truncated(path, dimensions, expected, received);
        }

        long trailing = CountRemaining(stream);
        if (trailing > 0)
        {
            throw Error(path,
                $"{trailing} trailing byte(s) after the payload{(compressed ? " (after decompression)" : "")}: " +
                $"shape [{string.Join(", ", dimensions)}] is exactly {expected} bytes");
        }

        return new IdxFile(path, dimensions, data);
    }

    /// <summary>Reads up to <paramref name="expected"/> bytes, growing the buffer as data arrives, so a header that lies about its size costs no more memory than the data present.</summary>
    private static byte[] ReadPayload(Stream stream, int expected, out int received)
    {
        byte[] data = new byte[Math.Min(expected, ChunkSize)];
        received = 0;
        while (received < expected)
        {
            if (received == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(expected, 2L * data.Length));
            }

            int n = stream.Read(data, received, data.Length - received);
            if (n == 0)
            {
                break;
            }

            received += n;
        }

        return data;
    }

    private static long CountRemaining(Stream stream)
    {
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static InvalidDataException Truncated(string path, int[] dimensions, long expected, long actual) =>
        Error(path, $"truncated payload: shape [{string.Join(", ", dimensions)}] needs {expected} bytes after the header, but the file holds only {actual}");

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown type",
    };

    private static InvalidDataException Error(string path, string what, Exception? inner = null)
    {
        var error = new InvalidDataException($"Invalid IDX file '{path}': {what}.", inner);
        error.Data[nameof(IdxReader)] = true; // ours already names the file: do not wrap it again
        return error;
    }
}
