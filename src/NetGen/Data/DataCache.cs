using System;
using System.IO;

namespace NetGen.Data;

/// <summary>Where a dataset's files are, and whether NetGen may download the missing ones into that folder.</summary>
/// <param name="Directory">The folder holding the dataset's files.</param>
/// <param name="FromEnvironment">True if the folder comes from <c>NETGEN_DATA</c>; the network is never used then.</param>
internal readonly record struct DataLocation(string Directory, bool FromEnvironment);

/// <summary>
/// Finds a dataset's folder: an explicit directory first; else <c>$NETGEN_DATA/&lt;dataset&gt;</c> when the
/// <c>NETGEN_DATA</c> environment variable names a root holding one folder per dataset (offline: nothing is downloaded
/// there); else the per-user cache <c>~/.netgen/datasets/&lt;dataset&gt;</c>.
/// </summary>
internal static class DataCache
{
    public const string EnvironmentVariable = "NETGEN_DATA";

    public static DataLocation Locate(string dataset, string? directory) =>
        Locate(dataset, directory, Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The same, with the environment passed in (tests).</summary>
    public static DataLocation Locate(string dataset, string? directory, string? netgenData, string? home)
    {
        if (!string.IsNullOrEmpty(directory))
        {
            return new DataLocation(Path.GetFullPath(directory), FromEnvironment: false);
        }

        if (!string.IsNullOrEmpty(netgenData))
        {
            return new DataLocation(Path.GetFullPath(Path.Combine(netgenData, dataset)), FromEnvironment: true);
        }

        if (string.IsNullOrEmpty(home))
        {
            throw new InvalidOperationException(
                $"Cannot find the user's home folder for the default dataset cache: pass a directory, or set {EnvironmentVariable} to a folder holding '{dataset}'.");
        }

        return new DataLocation(Path.Combine(home, ".netgen", "datasets", dataset), FromEnvironment: false);
    }
}
