using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace NetGen.Generator.Tests.TestHelpers;

/// <summary>
/// Golden-file snapshots with Verify's naming (Verify itself is not on the package mirror): each generated file is
/// compared with <c>Snapshots/{TestClass}.{TestName}.{hint}.verified.cs</c> beside the test's source. On a mismatch
/// or a missing snapshot the actual text is written to <c>*.received.cs</c> (git-ignored) and the test fails; to
/// accept it, review the diff and copy the received file over the verified one.
/// </summary>
internal static partial class Snapshot
{
    public const string VersionPlaceholder = "{NetGenVersion}";

    /// <summary>
    /// Compares every file with its snapshot and fails once, listing every mismatch, so one run writes all the
    /// received files. A verified file left over for this test that no longer matches any generated file fails too.
    /// </summary>
    public static void Match(IEnumerable<GeneratedFile> files, string testName, [CallerFilePath] string testFile = "")
    {
        string testClass = Path.GetFileNameWithoutExtension(testFile);
        string directory = Path.Combine(SourceDirectory(testFile), "Snapshots");
        string prefix = testClass + "." + testName + ".";
        var failures = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (GeneratedFile file in files)
        {
            string stem = prefix + TrimExtension(file.HintName);
            string verifiedPath = Path.Combine(directory, stem + ".verified.cs");
            string receivedPath = Path.Combine(directory, stem + ".received.cs");
            expected.Add(Path.GetFileName(verifiedPath));
            string received = Scrub(file.Text);
            string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
            if (verified == received)
            {
                File.Delete(receivedPath);
                continue;
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(receivedPath, received, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            failures.Add((verified is null ? "No snapshot yet for " : "Snapshot differs for ") + file.HintName + ":\n"
                + "  received: " + receivedPath + "\n"
                + "  verified: " + verifiedPath + "\n"
                + (verified is null ? string.Empty : "  first difference: " + FirstDifference(verified, received) + "\n")
                + "  to accept: review it, then copy the received file over the verified one\n"
                + "    (cp \"" + receivedPath + "\" \"" + verifiedPath + "\")");
        }

        if (Directory.Exists(directory))
        {
            foreach (string stale in Directory.GetFiles(directory, prefix + "*.verified.cs")
                .Select(Path.GetFileName)
                .Where(name => !expected.Contains(name!))
                .Order(StringComparer.Ordinal)!)
            {
                failures.Add("Snapshot " + stale + " matches no generated file any more: delete it if that is intended.");
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", failures));
        }
    }

    /// <summary>Line endings to '\n' and the generator version (which changes every release) to a placeholder.</summary>
    public static string Scrub(string text) => VersionRegex().Replace(Normalize(text), "${head}" + VersionPlaceholder + "${tail}");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string TrimExtension(string hintName) =>
        hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;

    private static string FirstDifference(string verified, string received)
    {
        string[] expected = verified.Split('\n');
        string[] actual = received.Split('\n');
        for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            string e = i < expected.Length ? expected[i] : "<end of file>";
            string a = i < actual.Length ? actual[i] : "<end of file>";
            if (e != a)
            {
                return "line " + (i + 1) + "\n    verified: " + e + "\n    received: " + a;
            }
        }

        return "none (the texts differ only in a trailing line ending)";
    }

    /// <summary>
    /// The test's source folder, from the caller's file path. If the build mapped source paths (a deterministic CI
    /// build may write /_/…), fall back to searching up from the test binaries for the test project.
    /// </summary>
    private static string SourceDirectory(string testFile)
    {
        string? directory = Path.GetDirectoryName(testFile);
        if (directory is not null && Directory.Exists(directory))
        {
            return directory;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.Generator.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the test project's source folder from '" + testFile + "' or '" + AppContext.BaseDirectory + "'.");
    }

    [GeneratedRegex("""(?<head>GeneratedCodeAttribute\("NetGen", ")[^"]*(?<tail>"\))""", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();
}
