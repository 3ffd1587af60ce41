using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NetGen.Generator.Analyzers;

namespace NetGen.Generator.Tests.TestHelpers;

/// <summary>One file the generator added, by hint name.</summary>
internal readonly record struct GeneratedFile(string HintName, string Text);

/// <summary>Everything one run of NetGen's generator and analyzer over some sources produced.</summary>
/// <param name="Driver">The driver after the run; run it again on an edited compilation to test caching.</param>
/// <param name="Input">The compilation of the test sources alone.</param>
/// <param name="Output">The input plus the generated sources.</param>
/// <param name="GeneratedSources">The generated files, ordered by hint name.</param>
/// <param name="GeneratorDiagnostics">Diagnostics from the generator run (NetGen's generator reports none; CS8785 means it threw).</param>
/// <param name="AnalyzerDiagnostics">What <see cref="NetworkAnalyzer"/> reported on <paramref name="Output"/>, ordered by position.</param>
/// <param name="OutputDiagnostics">The output compilation's own warnings and errors.</param>
internal sealed record HarnessResult(
    GeneratorDriver Driver,
    CSharpCompilation Input,
    Compilation Output,
    ImmutableArray<GeneratedFile> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    ImmutableArray<Diagnostic> OutputDiagnostics)
{
    public GeneratorDriverRunResult RunResult => Driver.GetRunResult();

    /// <summary>What the generator threw, if anything (the driver catches it and reports CS8785).</summary>
    public Exception? GeneratorException => RunResult.Results.Single().Exception;

    public ImmutableArray<Diagnostic> OutputErrors => [.. OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
}

/// <summary>
/// Runs <see cref="NetworkGenerator"/> and <see cref="NetworkAnalyzer"/> the way a build does: the generator through
/// a <see cref="CSharpGeneratorDriver"/> with step tracking on, the analyzer over the compilation the generator produced.
/// References are the running .NET's framework assemblies plus the NetGen runtime and System.Numerics.Tensors.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        deterministic: true);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>The options every test compilation uses: a nullable-enabled library, every warning on.</summary>
    public static CSharpCompilationOptions CompilationOptions => s_compilationOptions;

    /// <summary>A compilation of <paramref name="sources"/> (one syntax tree each, named Source0.cs, Source1.cs, …).</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(ParseOptions, sources);

    /// <summary>A compilation of <paramref name="sources"/> parsed with <paramref name="parseOptions"/> (a project's LangVersion).</summary>
    public static CSharpCompilation CreateCompilation(CSharpParseOptions parseOptions, params string[] sources) =>
        CSharpCompilation.Create(
            "NetGenTests",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions, path: "Source" + i + ".cs")),
            References,
            s_compilationOptions);

    /// <summary>A driver for NetGen's generator that records every tracked step, as the caching tests need.</summary>
    public static GeneratorDriver CreateDriver() => CreateDriver(ParseOptions);

    /// <summary>A driver that parses the generated sources with <paramref name="parseOptions"/>, as a build does with the project's.</summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="sources"/>, runs the generator and then the analyzer.</summary>
    public static HarnessResult Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    /// <summary>As <see cref="Run(string[])"/>, with every source, given and generated, parsed as C# <paramref name="version"/>.</summary>
    public static HarnessResult Run(LanguageVersion version, params string[] sources)
    {
        CSharpParseOptions options = ParseOptions.WithLanguageVersion(version);
        return Run(CreateDriver(options), CreateCompilation(options, sources));
    }

    /// <summary>Runs <paramref name="driver"/> (fresh, or carrying a previous run's state) on <paramref name="input"/>, then the analyzer.</summary>
    public static HarnessResult Run(GeneratorDriver driver, CSharpCompilation input)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        ImmutableArray<GeneratedFile> generated = [.. run.GeneratedSources
            .Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString()))
            .OrderBy(f => f.HintName, StringComparer.Ordinal)];

        ImmutableArray<Diagnostic> outputDiagnostics = [.. output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)];

        return new HarnessResult(driver, input, output, generated, generatorDiagnostics, RunAnalyzer(output), outputDiagnostics);
    }

    /// <summary>The analyzer's diagnostics on <paramref name="compilation"/>; an exception inside the analyzer fails the test rather than becoming AD0001.</summary>
    public static ImmutableArray<Diagnostic> RunAnalyzer(Compilation compilation)
    {
        var failures = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) =>
            {
                lock (failures)
                {
                    failures.Add(exception);
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = compilation
            .WithAnalyzers([new NetworkAnalyzer(), new UsageAnalyzer()], options)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();
        if (failures.Count > 0)
        {
            throw new AggregateException("An analyzer threw.", failures);
        }

        return [.. diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The framework assemblies of the running .NET (the trusted platform assemblies that live beside
    /// System.Private.CoreLib; the test's own dependencies, such as Roslyn and xunit, are left out), the NetGen
    /// runtime, and System.Numerics.Tensors, which the runtime's public kernels are built on.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("The runtime reports no trusted platform assemblies.");
        IEnumerable<string> framework = trusted
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        string[] netGen = [typeof(Network).Assembly.Location, typeof(TensorPrimitives).Assembly.Location];
        return [.. framework
            .Concat(netGen)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
