using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using NetGen.Data;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

/// <summary>
/// Where the real datasets are for tests, and what happens when they are not there: under CI (<c>CI=true</c>) a
/// missing dataset fails the test; elsewhere the test notes it in its output and returns early (xunit 2 has no
/// dynamic skip). The one place that policy lives.
/// </summary>
internal static class TestData
{
    /// <summary>
    /// The folder holding the four Fashion-MNIST files: <c>$NETGEN_DATA/fashion-mnist</c> if NETGEN_DATA is set, else
    /// <c>../shared/data/fashion-mnist</c> beside the repository. Null (after a note in <paramref name="output"/>) when
    /// it is missing outside CI.
    /// </summary>
    public static string? FashionMnistDirectory(ITestOutputHelper output) =>
        DatasetDirectory(FashionMnist.DatasetName, FashionMnist.FileNames, output);

    /// <summary>
    /// The folder of <paramref name="dataset"/> (one folder per dataset, like ../shared/data) holding every file in
    /// <paramref name="files"/>: under <c>$NETGEN_DATA</c> if set, else ../shared/data beside the repository. Missing
    /// data fails under CI=true; elsewhere it is noted in <paramref name="output"/> and null is returned.
    /// </summary>
    public static string? DatasetDirectory(string dataset, IReadOnlyList<string> files, ITestOutputHelper output)
    {
        string? root = Environment.GetEnvironmentVariable("NETGEN_DATA");
        string source = "NETGEN_DATA";
        if (string.IsNullOrEmpty(root))
        {
            root = RepositoryRoot() is string repo ? Path.GetFullPath(Path.Combine(repo, "..", "shared", "data")) : null;
            source = "the shared data folder beside the repository";
        }

        string? directory = root is null ? null : Path.Combine(root, dataset);
        string[] missing = directory is null
            ? [.. files]
            : files.Where(name => !File.Exists(Path.Combine(directory, name))).ToArray();
        if (missing.Length == 0)
        {
            return directory;
        }

        string message = $"{dataset} test data not found in {directory ?? "(no repository root above " + AppContext.BaseDirectory + ")"} " +
            $"({source}); missing {string.Join(", ", missing)}. Set NETGEN_DATA to a folder holding {dataset}/.";
        // CI services set CI=true (some CI=1); either way a missing data folder there is a failure, not a skip.
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        output.WriteLine("Not run: " + message);
        return null;
    }

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, byte[]>> FileCache = new(StringComparer.Ordinal);

    /// <summary>The bytes of the four Fashion-MNIST files in <paramref name="directory"/>, by name (read once per run).</summary>
    public static IReadOnlyDictionary<string, byte[]> FashionMnistFiles(string directory) =>
        FileCache.GetOrAdd(directory, dir => FashionMnist.FileNames.ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(dir, name))));

    /// <summary>The SHA-256 of <paramref name="bytes"/> as lowercase hex, the form the digest tables use.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The folder holding NetGen.sln, found by walking up from the test binaries.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
