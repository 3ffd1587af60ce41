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
/// <para>A process killed while writing leaves its hidden temporary file (<c>.name.&lt;12 hex digits&gt;.tmp</c>) behind.
/// The next successful write of the same target removes the target's own temporaries that are older than
/// <see cref="StaleAge"/>: younger ones may belong to a writer still at work in another thread or process.</para>
/// </remarks>
public static class AtomicFile
{
    // Temporary names keep at most this much of the target's name, so a long target name cannot push them past
    // the file system's 255-byte limit.
    private const int MaxNamePrefix = 64;

    /// <summary>
    /// How long a temporary file must have gone unwritten before a later write of its target deletes it as a crash's
    /// leftover. A live writer touches its file with every 64 KiB it flushes, so only a writer that computes for this
    /// long before writing anything could lose its file (its rename would then fail, leaving the target unchanged).
    /// </summary>
    internal static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(15);

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

        DeleteStaleTemporaries(target);
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

        DeleteStaleTemporaries(target);
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

    /// <summary>
    /// Deletes <paramref name="target"/>'s own temporary files older than <see cref="StaleAge"/> (best effort: the write
    /// itself has succeeded). A name longer than the 64 characters a temporary name keeps shares its temporaries' names
    /// with other targets of the same first 64 characters; an old one is a crash's leftover whichever it was.
    /// </summary>
    private static void DeleteStaleTemporaries(string target)
    {
        try
        {
            string directory = Path.GetDirectoryName(target)!, name = Path.GetFileName(target);
            string start = "." + (name.Length > MaxNamePrefix ? name[..MaxNamePrefix] : name) + ".";
            DateTime cutoff = DateTime.UtcNow - StaleAge;
            foreach (string file in Directory.EnumerateFiles(directory, "*.tmp"))
            {
                // Exactly .<prefix>.<12 lowercase hex digits>.tmp, the names Paths makes; nothing else is ours to delete.
                string candidate = Path.GetFileName(file);
                if (candidate.Length != start.Length + 16 || !candidate.StartsWith(start, StringComparison.Ordinal) ||
                    candidate.AsSpan(start.Length, 12).IndexOfAnyExcept("0123456789abcdef") >= 0)
                {
                    continue;
                }

                if (File.GetLastWriteTimeUtc(file) < cutoff)
                {
                    DeleteQuietly(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A directory that cannot be listed keeps its leftovers; the file itself was written.
        }
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
