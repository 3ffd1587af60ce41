using System;
using System.IO;

namespace NetGen.Tests;

/// <summary>
/// Finds the data sets in ../shared/data (or $NETGEN_DATA). Missing data fails the test under CI=true and is
/// reported as an early return otherwise, so a developer without the data still gets a green run but CI can never
/// silently skip.
/// </summary>
internal static class SharedData
{
    /// <summary>The folder for <paramref name="dataset"/> (e.g. "sklearn"), or null outside CI when it is missing.</summary>
    public static string? Folder(string dataset)
    {
        string? root = Environment.GetEnvironmentVariable("NETGEN_DATA");
        if (string.IsNullOrEmpty(root))
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
                {
                    root = Path.Combine(dir.FullName, "..", "shared", "data");
                    break;
                }
            }
        }

        string? folder = root is null ? null : Path.GetFullPath(Path.Combine(root, dataset));
        if (folder is not null && Directory.Exists(folder))
        {
            return folder;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"Test data '{dataset}' is missing (looked in {folder ?? "../shared/data"}); CI must have it.");
        }

        return null;
    }
}
