using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NetGen.IO;

/// <summary>
/// Writes a file all at once or not at all: the content goes to a temporary file in the target's directory, is
/// flushed to disk, and then renamed over the target. A reader sees either the old file or the complete new one,
/// never a half-written file, and a failure (an exception in the writer, a full disk, a read-only directory)
/// leaves the old file as it was and deletes the temporary file.
/// </summary>
/// <remarks>
/// The rename is atomic on the same volume, which is why the temporary file lives next to the target. The file's
/// data is flushed before the rename; the directory entry itself is not fsynced (.NET has no portable way to), so
/// after a power cut the old file may come back, but never a torn one.
/// </remarks>
public static class AtomicFile
{
    // Temporary names keep at most this much of the target's name, so a long target name cannot push them past
    // the file system's 255-byte limit.
    private const int MaxNamePrefix = 64;

    /// <summary>Writes <paramref name="path"/> with whatever <paramref name="write"/> puts in the stream it is given.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the content; it must not close the stream. If it throws, the target is left untouched.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        (string target, string temp) = Paths(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e)
        {
            DeleteQuietly(temp);
            if (NamingTarget(e, target, temp) is { } restated)
            {
                throw restated;
            }

            throw;
        }
    }

    /// <summary>Asynchronously writes <paramref name="path"/> with whatever <paramref name="write"/> puts in the stream it is given.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the content; it must not close the stream. If it throws or is canceled, the target is left untouched.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left untouched.</param>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        (string target, string temp) = Paths(path);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e)
        {
            DeleteQuietly(temp);
            if (NamingTarget(e, target, temp) is { } restated)
            {
                throw restated;
            }

            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        // A span cannot be captured by the writer delegate, so copy it once; callers with big data use Write.
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)));
    }

    private static (string Target, string Temp) Paths(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        string name = Path.GetFileName(target);
        if (name.Length == 0)
        {
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        }

        string directory = Path.GetDirectoryName(target)!;
        string prefix = name.Length > MaxNamePrefix ? name[..MaxNamePrefix] : name;
        string temp = Path.Combine(directory, $".{prefix}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        return (target, temp);
    }

    /// <summary>
    /// A file-system error about the hidden temporary file, restated about the file the caller asked for (same
    /// exception type, the original inside); null for any other exception, such as the writer's own.
    /// </summary>
    private static Exception? NamingTarget(Exception e, string target, string temp)
    {
        if (e is not (IOException or UnauthorizedAccessException) || !e.Message.Contains(temp, StringComparison.Ordinal))
        {
            return null;
        }

        string message = $"Could not save '{target}': {e.Message.Replace(temp, target, StringComparison.Ordinal)} " +
            $"(written first to a temporary file beside it, then renamed; '{target}' was not changed).";
        return e switch
        {
            DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
            PathTooLongException => new PathTooLongException(message, e),
            UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
            _ => new IOException(message, e),
        };
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
