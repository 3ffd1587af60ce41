using System;
using System.Collections.Generic;
using System.Net.Http;

namespace NetGen.Data;

/// <summary>
/// How a dataset loader downloads missing files. Every property is optional: left null, the dataset's own
/// mirrors and published digests are used with a private <see cref="System.Net.Http.HttpClient"/>.
/// </summary>
public sealed class DownloadOptions
{
    /// <summary>Base URLs tried in order for each file (the file name is appended); null uses the dataset's mirrors.</summary>
    public IReadOnlyList<Uri>? Mirrors { get; init; }

    /// <summary>Expected lowercase-hex SHA-256 per file name; null uses the dataset's published digests.</summary>
    public IReadOnlyDictionary<string, string>? Sha256 { get; init; }

    /// <summary>The client to download with (proxies, timeouts, handlers); null creates one for the call.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Told of each chunk received; the library itself prints nothing.</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }
}

/// <summary>How far one file's download has come.</summary>
/// <param name="FileName">The file being downloaded.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">The file's size, if the server said.</param>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long? TotalBytes);
