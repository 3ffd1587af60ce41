using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;

namespace NetGen.Data;

/// <summary>
/// Downloads a dataset's files into its folder. Each file streams into a part file of its own beside its final name
/// (<c>&lt;name&gt;.&lt;random&gt;.part</c>) while its SHA-256 is computed; only when the digest matches is it
/// renamed into place (an atomic rename on the same volume), so the folder never holds a partial or unverified file
/// under a real name. A failed transfer deletes the part file and tries the next mirror; a digest mismatch deletes
/// it and stops. Two processes filling the same cache each download into their own part file, and the second
/// rename replaces a verified file with an identical one.
/// </summary>
internal static class DatasetDownloader
{
    private const int BufferSize = 1 << 16;

    public static void Download(
        string directory,
        IReadOnlyList<string> fileNames,
        IReadOnlyList<Uri> mirrors,
        IReadOnlyDictionary<string, string> sha256,
        HttpClient? client,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (mirrors.Count == 0)
        {
            throw new ArgumentException("No mirror to download from: the list of base URLs is empty.", nameof(mirrors));
        }

        foreach (Uri mirror in mirrors)
        {
            CheckMirror(mirror);
        }

        foreach (string name in fileNames)
        {
            if (!sha256.ContainsKey(name))
            {
                throw new ArgumentException($"No SHA-256 digest is given for {name}: every downloaded file is checked against one.", nameof(sha256));
            }
        }

        Directory.CreateDirectory(directory);
        HttpClient http = client ?? new HttpClient();
        try
        {
            foreach (string name in fileNames)
            {
                DownloadFile(http, directory, name, mirrors, sha256[name], progress, cancellationToken);
            }
        }
        finally
        {
            if (client is null)
            {
                http.Dispose();
            }
        }
    }

    private static void DownloadFile(
        HttpClient http, string directory, string name, IReadOnlyList<Uri> mirrors, string expected, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string target = Path.Combine(directory, name);
        DeleteStaleParts(directory, name);
        var failures = new List<string>();
        Exception? lastFailure = null;
        foreach (Uri mirror in mirrors)
        {
            Uri url = FileUrl(mirror, name);

            // A name no other download uses: a shared one let a second process truncate this file between its check
            // and its rename, and an empty file ended up under the real name.
            string part = Path.Combine(directory, $"{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.part");
            var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
            string? actual = null;
            try
            {
                actual = Fetch(http, url, name, file, progress, cancellationToken);
            }
            catch (Exception e) when (IsTransferFailure(e, cancellationToken))
            {
                failures.Add($"{url}: {e.Message}");
                lastFailure = e;
            }
            finally
            {
                file.Dispose();
                if (actual is null)
                {
                    File.Delete(part);
                }
            }

            if (actual is null)
            {
                continue;
            }

            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(part);
                throw new InvalidDataException(
                    $"Checksum mismatch for {name} downloaded from {url}: expected SHA-256 {expected.ToLowerInvariant()}, got {actual}. " +
                    $"The download was discarded and nothing was saved as {target}.");
            }

            File.Move(part, target, overwrite: true);
            return;
        }

        throw new IOException(
            $"Could not download {name} into {directory}; every mirror failed:{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", failures) + Environment.NewLine +
            $"Nothing was saved as {target}. Copy the file there by hand, or point {DataCache.EnvironmentVariable} at a folder that has it.",
            lastFailure);
    }

    /// <summary>How old a part file must be before a new download of the same file removes it as left by a crash.</summary>
    private static readonly TimeSpan StalePartAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Removes part files of <paramref name="name"/> that a crashed or killed download left behind (best effort). Only
    /// old ones: a recent part file may belong to a download still running in another process.
    /// </summary>
    private static void DeleteStaleParts(string directory, string name)
    {
        DateTime cutoff = DateTime.UtcNow - StalePartAge;
        foreach (string part in Directory.EnumerateFiles(directory, name + ".*part"))
        {
            // Only this file's own part names: <name>.part (earlier versions) and <name>.<12 hex digits>.part.
            string middle = Path.GetFileName(part)[name.Length..^".part".Length];
            if (middle.Length != 0 && !(middle.Length == 13 && middle[0] == '.' && middle.AsSpan(1).IndexOfAnyExcept("0123456789abcdef") < 0))
            {
                continue;
            }

            try
            {
                if (File.GetLastWriteTimeUtc(part) < cutoff)
                {
                    File.Delete(part);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's file, or already gone: not this download's business.
            }
        }
    }

    /// <summary>Streams <paramref name="url"/> into <paramref name="file"/> and returns the SHA-256 of what arrived, as lowercase hex.</summary>
    private static string Fetch(HttpClient http, Uri url, string name, FileStream file, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using HttpResponseMessage response = http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        long? total = response.Content.Headers.ContentLength;
        using Stream body = response.Content.ReadAsStream(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[BufferSize];
        long received = 0;
        int n;
        while ((n = body.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            file.Write(buffer, 0, n);
            hash.AppendData(buffer, 0, n);
            received += n;
            progress?.Report(new DownloadProgress(name, received, total));
        }

        if (total is long expectedLength && received != expectedLength)
        {
            throw new IOException($"the response ended after {received} of {expectedLength} bytes");
        }

        file.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Refuses, before any request, a mirror that is not an absolute http or https URL.</summary>
    private static void CheckMirror(Uri mirror)
    {
        if (!mirror.IsAbsoluteUri || (mirror.Scheme != Uri.UriSchemeHttps && mirror.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException(
                $"Mirror '{mirror}' is not an absolute http or https URL. For files already on disk, copy them into the dataset's folder or point {DataCache.EnvironmentVariable} at them.",
                "mirrors");
        }
    }

    private static Uri FileUrl(Uri mirror, string name)
    {
        string root = mirror.AbsoluteUri.EndsWith('/') ? mirror.AbsoluteUri : mirror.AbsoluteUri + "/";
        return new Uri(new Uri(root), Uri.EscapeDataString(name));
    }

    // A dead mirror, a refused or dropped connection, an HTTP error or a timeout: try the next mirror. A cancellation
    // the caller asked for is not one of these.
    private static bool IsTransferFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
