using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// samples/Mistakes/Mistakes.cs shows every diagnostic for a reader to open in an editor. It is not built with the
/// solution, so this test keeps it honest: every id in the catalog appears, and each diagnostic lands under the
/// comment that names it.
/// </summary>
public sealed class MistakesSampleTests
{
    /// <summary>
    /// Diagnostics one file cannot show: NG0014 depends on the project's LangVersion, not on a declaration; NG0304-NG0308
    /// on the weights file the project hands over (tested in DiagnosticTests.Weights.cs).
    /// </summary>
    private static readonly string[] s_projectSettings =
    [
        DiagnosticIds.LanguageVersionTooOld,
        DiagnosticIds.WeightsFileNotFound,
        DiagnosticIds.WeightsFileNotSafetensors,
        DiagnosticIds.WeightsTensorMismatch,
        DiagnosticIds.WeightsLayoutMismatch,
        DiagnosticIds.WeightsNotFinite,
    ];

    [Fact]
    public void The_mistakes_sample_shows_every_diagnostic_under_the_comment_naming_it()
    {
        string source = File.ReadAllText(SamplePath());
        HarnessResult result = GeneratorHarness.Run(source);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);

        string[] catalog = [.. typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Except(s_projectSettings).Order(StringComparer.Ordinal)];
        Assert.Equal(catalog, result.AnalyzerDiagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));

        string[] lines = source.Split('\n');
        foreach (Diagnostic d in result.AnalyzerDiagnostics)
        {
            int line = d.Location.GetLineSpan().StartLinePosition.Line;
            string? comment = Enumerable.Range(0, line + 1).Select(i => lines[line - i])
                .Select(l => Regex.Match(l, @"^\s*// (NG\d{4})")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
            Assert.True(comment == d.Id, $"{d.Id} at line {line + 1} falls under the comment for {comment}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static string SamplePath([CallerFilePath] string thisFile = "")
    {
        for (DirectoryInfo? dir = new FileInfo(thisFile).Directory ?? new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "Mistakes", "Mistakes.cs");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/Mistakes/Mistakes.cs not found above " + thisFile);
    }
}
