using System;
using System.IO;

namespace NetGen.Tests.IO;

/// <summary>A fresh directory per test, deleted afterwards (made writable first, in case a test locked it).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("netgen-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names of every entry in the directory, sorted: shows leftover temporary files.</summary>
    public string[] Entries()
    {
        string[] names = Array.ConvertAll(Directory.GetFileSystemEntries(Path), e => System.IO.Path.GetFileName(e)!);
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(Path, recursive: true);
    }
}
