using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NetGen.Generator.Analyzers;
using NetGen.Generator.Tests.TestHelpers;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Seeded random testing of the generator and both analyzers: well over a thousand random, often malformed, model
/// declarations (<see cref="FuzzSourceGenerator"/>), compiled a batch at a time, each judged by an independent
/// reference validator (<see cref="FuzzOracle"/>). For every model: the generator neither throws nor reports, no
/// analyzer throws; the NG ids reported are exactly those the reference validator predicts; an invalid model gets
/// its stub (one file, which compiles, and against which the model's usage compiles) where one can be written, else
/// no source; a valid one gets its three files and compiles without a single error or unexpected warning; a
/// declaration that is not C# gets a CS error.
/// Reproduce or widen a run with NETGEN_FUZZ_SEED and NETGEN_FUZZ_MODELS; NETGEN_FUZZ_REPORT names a file to write every failure to.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_250_611;
    private const int DefaultModels = 1200;
    private const int ModelsPerCompilation = 20;
    private const int MaxReportedFailures = 8;

    private static readonly string[] GeneratedSuffixes = [".Network.g.cs", ".Forward.g.cs", ".Backward.g.cs"];
    private static readonly HashSet<string> WarningIds = new(StringComparer.Ordinal) { "NG0108", "NG0203", "NG0127" };

    [Fact]
    public void Random_declarations_never_crash_and_agree_with_a_reference_validator()
    {
        int seed = Setting("NETGEN_FUZZ_SEED") ?? DefaultSeed;
        int count = Setting("NETGEN_FUZZ_MODELS") ?? DefaultModels;
        output.WriteLine("NETGEN_FUZZ_SEED=" + Num(seed) + " NETGEN_FUZZ_MODELS=" + Num(count));

        var stats = new Stats();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        int batches = (count + ModelsPerCompilation - 1) / ModelsPerCompilation;
        for (int b = 0; b < batches; b++)
        {
            var generator = new FuzzSourceGenerator(new Random(BatchSeed(seed, b)));
            List<FuzzModel> models = [.. Enumerable.Range(0, Math.Min(ModelsPerCompilation, count - (b * ModelsPerCompilation)))
                .Select(i => generator.Next((b * ModelsPerCompilation) + i))];
            foreach (string failure in CheckBatch(models, stats))
            {
                failures.Add("NETGEN_FUZZ_SEED=" + Num(seed) + ", batch " + Num(b) + ":\n" + failure);
            }
        }

        clock.Stop();
        output.WriteLine("seed " + Num(seed) + ": " + Num(stats.Models) + " models in " + Num(stats.Compilations) + " compilations, "
            + clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s");
        output.WriteLine(stats.ToString());
        if (failures.Count > 0 && Environment.GetEnvironmentVariable("NETGEN_FUZZ_REPORT") is { Length: > 0 } report)
        {
            // Every failure in full, for triage (the assertion message keeps only the first few).
            File.WriteAllText(report, string.Join("\n\n" + new string('=', 100) + "\n\n", failures));
        }

        if (failures.Count > 0)
        {
            string summary = string.Join("\n", failures
                .SelectMany(f => f.Split('\n').Where(line => line.StartsWith("  PROBLEM: ", StringComparison.Ordinal)).Select(line => line[11..].Split(':')[0]))
                .GroupBy(p => p, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .Select(g => "  " + Num(g.Count()).PadLeft(4) + "  " + g.Key));
            Assert.Fail(Num(failures.Count) + " fuzz failure(s) (reproduce with the seed shown; the models' sources are below)\n" + summary + "\n\n"
                + string.Join("\n\n" + new string('=', 100) + "\n\n", failures.Take(MaxReportedFailures)));
        }

        Assert.True(stats.Models == count, "Only " + Num(stats.Models) + " of " + Num(count) + " models were checked.");
        Assert.True(count >= 1000 || Setting("NETGEN_FUZZ_MODELS") is not null, "The default run must cover at least 1000 models.");
    }

    [Fact]
    public void The_reference_validator_knows_the_documented_examples()
    {
        // The oracle is only as good as its rules: spot-check it against hand-written verdicts.
        FuzzModel Model(Action<FuzzModel> setup)
        {
            var m = new FuzzModel { Id = 0, InputShape = [4] };
            setup(m);
            return m;
        }

        FuzzLayer Dense(int units, int activation = 0, string? name = null) => new() { Kind = FuzzLayerKind.Dense, Units = units, Activation = activation, Name = name, NameWritten = name is not null };

        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => m.Layers.Add(Dense(1)))).Verdict);
        Assert.Equal(["NG0004"], FuzzOracle.Expect(Model(_ => { })).Ids);
        Assert.Equal(["NG0106"], FuzzOracle.Expect(Model(m => { m.InputShape = [28, 28]; m.Layers.Add(Dense(10)); })).Ids);
        FuzzLayer Normalization() => new() { Kind = FuzzLayerKind.Normalization };
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => { m.Layers.Add(Normalization()); m.Layers.Add(Dense(1)); })).Verdict);
        Assert.Equal(["NG0109"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Dense(8)); m.Layers.Add(Normalization()); m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0110"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Normalization()); m.Layers.Add(Normalization()); m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0106"], FuzzOracle.Expect(Model(m => { m.InputShape = [28, 28]; m.Layers.Add(Normalization()); m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0109", "NG0205"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Dense(1)); m.Layers.Add(Normalization()); })).Ids);
        Assert.Equal(["NG0105"], FuzzOracle.Expect(Model(m => { m.InputShape = [200_000_000]; m.Layers.Add(Normalization()); m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0006"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Dense(8, name: "dense_1")); m.Layers.Add(Dense(8)); m.Layers.Add(Dense(3)); })).Ids);
        Assert.Equal(["NG0006"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Dense(8, name: "hidden_1")); m.Layers.Add(Dense(3, name: "hidden1")); })).Ids);
        Assert.Equal(["NG0105"], FuzzOracle.Expect(Model(m => { m.InputShape = [100_000]; m.Layers.Add(Dense(3000)); m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0203"], FuzzOracle.Expect(Model(m => m.Layers.Add(Dense(3, activation: 5)))).Ids);
        Assert.Equal(["NG0207"], FuzzOracle.Expect(Model(m => m.Layers.Add(Dense(1, activation: 5)))).Ids);
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => m.Layers.Add(Dense(3, activation: 5)))).Verdict);
        Assert.Equal(["NG0013"], FuzzOracle.Expect(Model(m => { m.ClassName = "NetKernel"; m.Layers.Add(Dense(1, name: "net")); })).Ids);
        Assert.Equal(["NG0205"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Dense(1)); m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dropout, Rate = 0.5 }); })).Ids);
        Assert.Equal(["NG0102"], FuzzOracle.Expect(Model(m => { m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dropout, Rate = double.NaN }); m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0008"], FuzzOracle.Expect(Model(m => { m.HasSequential = false; m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0013"], FuzzOracle.Expect(Model(m => { m.ClassName = "_outputA"; m.Layers.Add(Dense(1, activation: 1, name: "output")); })).Ids);
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => { m.ClassName = "_outputA"; m.Layers.Add(Dense(1, name: "output")); })).Verdict);
        Assert.Equal(["NG0111"], FuzzOracle.Expect(Model(m => m.Layers.Add(Dense(1, activation: 9)))).Ids);
        Assert.Equal(["NG0206"], FuzzOracle.Expect(Model(m => { m.Loss = 7; m.LossDeclared = true; m.Layers.Add(Dense(1)); })).Ids);
        Assert.Equal(["NG0208"], FuzzOracle.Expect(Model(m => { m.Loss = 4; m.Layers.Add(Dense(3)); })).Ids);
        Assert.Equal(["NG0208"], FuzzOracle.Expect(Model(m => { m.Loss = 3; m.Layers.Add(Dense(3, activation: 2)); })).Ids);
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => { m.Loss = 3; m.Layers.Add(Dense(3, activation: 1)); })).Verdict);
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => { m.Loss = 3; m.Layers.Add(Dense(3, activation: 5)); })).Verdict);
        Assert.Equal(["NG0209"], FuzzOracle.Expect(Model(m => { m.Loss = 2; m.Layers.Add(Dense(1, activation: 3)); })).Ids);
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Model(m => { m.Loss = 2; m.Layers.Add(Dense(1, activation: 1)); })).Verdict);
        Assert.Equal(["NG0112"], FuzzOracle.Expect(Model(m => m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dense, Units = 1, Activation = 4, Alpha = double.PositiveInfinity }))).Ids);
        Assert.Equal(["NG0112"], FuzzOracle.Expect(Model(m => m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dense, Units = 1, Activation = 4, Alpha = 1e39 }))).Ids);
        Assert.Equal(["NG0017"], FuzzOracle.Expect(Model(m => { m.Layers.Add(Dense(8)); m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dense, Units = 1, Part = 1 }); })).Ids);

        // Independent mistakes are all reported, and none causes another: after Dense(0) the next Dense's input is
        // unknown (no NG0107), but the output layer is still judged against the loss.
        Assert.Equal(["NG0101", "NG0107", "NG0208"], FuzzOracle.Expect(Model(m =>
        {
            m.Loss = 4;
            m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dense, Units = 8, InputSize = 3 });
            m.Layers.Add(Dense(0));
            m.Layers.Add(new FuzzLayer { Kind = FuzzLayerKind.Dense, Units = 4, InputSize = 5 });
            m.Layers.Add(Dense(3));
        })).Ids);
        Assert.Equal(FuzzVerdict.NotAModel, FuzzOracle.Expect(Model(m => m.HasSequential = false)).Verdict);

        // Convolutions (issue 14): Keras's MNIST convnet is valid, its pooling of 11×11 to 5×5 included.
        FuzzLayer Conv(int filters, int kernel, int activation = 3) => new() { Kind = FuzzLayerKind.Conv2D, Filters = filters, Window = [kernel], Activation = activation };
        FuzzLayer Pool(int size = 2) => new() { Kind = FuzzLayerKind.MaxPooling2D, Window = [size] };
        FuzzLayer Flatten() => new() { Kind = FuzzLayerKind.Flatten };
        FuzzModel Cnn(int[] input, params FuzzLayer[] layers) => Model(m =>
        {
            m.InputShape = input;
            m.Loss = 4;
            m.Layers.AddRange(layers);
            m.Layers.Add(Dense(10, activation: 5));
        });
        Assert.Equal(FuzzVerdict.Valid, FuzzOracle.Expect(Cnn([28, 28, 1], Conv(32, 3), Pool(), Conv(64, 3), Pool(), Flatten())).Verdict);
        Assert.Equal(["NG0126"], FuzzOracle.Expect(Cnn([28, 28], Conv(32, 3), Pool(), Conv(64, 3), Pool(), Flatten())).Ids);
        Assert.Equal(["NG0125"], FuzzOracle.Expect(Cnn([28, 28, 1], Flatten(), Conv(32, 3))).Ids);
        Assert.Equal(["NG0106"], FuzzOracle.Expect(Cnn([28, 28, 1], Conv(32, 3), Pool())).Ids);
        Assert.Equal(["NG0124"], FuzzOracle.Expect(Cnn([28, 28, 1], Conv(8, 3), Pool(), Conv(8, 3), Pool(), Conv(8, 3), Pool(), Conv(8, 3), Flatten())).Ids);
        FuzzLayer strided = Conv(8, 3);
        strided.Strides = 2;
        FuzzExpectation unused = FuzzOracle.Expect(Cnn([28, 28, 1], strided, Flatten()));
        Assert.Equal(FuzzVerdict.Valid, unused.Verdict);
        Assert.Equal(["NG0127"], unused.Ids);
        Assert.Equal(["NG0131"], FuzzOracle.Expect(Cnn([1024, 1024, 3], new FuzzLayer { Kind = FuzzLayerKind.Conv2D, Filters = 32, Window = [3], Padding = 1 },
            new FuzzLayer { Kind = FuzzLayerKind.GlobalAveragePooling2D })).Ids);
        Assert.Equal(["NG0128", "NG0129"], FuzzOracle.Expect(Cnn([8, 8, 1], Conv(4, 3), new FuzzLayer { Kind = FuzzLayerKind.BatchNormalization, Momentum = 1, Epsilon = 1e-50 }, Flatten())).Ids);
    }

    // ---- What the fuzzer found, pinned down ----

    public static TheoryData<string, string> FormerFailures => new()
    {
        {
            // Emitted 'partial class class' and threw on the hint name 'Models.@event.class.Network.g.cs'.
            "keywords as the namespace, class and containing type names",
            "#pragma warning disable CS8981 // lowercase type names\nnamespace Models.@event;\n\npublic partial class @struct\n{\n    [Sequential(2)]\n    [Dense(1)]\n    public partial class @class;\n}\n"
        },
        {
            // The backward pass declared 'nextXZ' twice: layer x_z's input gradient and next_x's saved z.
            "layer names whose backward-pass locals collide",
            "[Sequential(4)]\n[Dense(3, Activation.ReLU, Name = \"next_x\")]\n[Dense(3, Name = \"x_z\")]\n[Dense(1)]\npublic partial class Net;\n"
        },
        {
            // ForAttributeWithMetadataName yielded the model for both parts (it matches [Sequential] by name, then by
            // file), so the second set of hint names threw and the generator dropped every model.
            "a partial part in the same file with a look-alike [Sequential]",
            "[Other.Sequential]\npublic partial class Net;\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net;\n\n"
                + "namespace Other\n{\n    [System.AttributeUsage(System.AttributeTargets.Class)]\n    public sealed class SequentialAttribute : System.Attribute;\n}\n"
        },
    };

    [Theory]
    [MemberData(nameof(FormerFailures))]
    public void Former_fuzz_failures_generate_code_that_compiles(string what, string source)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n" + source);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.True(result.OutputDiagnostics.IsEmpty, what + ":\n" + string.Join("\n", result.OutputDiagnostics));
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    [Fact]
    public void A_second_Sequential_on_another_partial_part_is_left_to_the_compiler()
    {
        // CS0579. Both parts carry a [Sequential], so the generator sees the model twice: it must emit nothing, not throw.
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net;\n\n[Sequential(3)]\npublic partial class Net;\n");
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Equal(["CS0579"], result.OutputErrors.Select(d => d.Id).Distinct());
        Assert.Empty(result.GeneratedSources);
    }

    // ---- One compilation of a batch of models ----

    private sealed record BatchRun(
        Exception? GeneratorException,
        ImmutableArray<Diagnostic> GeneratorDiagnostics,
        IReadOnlyList<Exception> AnalyzerExceptions,
        ImmutableArray<Diagnostic> Diagnostics,
        IReadOnlyDictionary<string, SyntaxTree> Generated);

    private static BatchRun Run(IReadOnlyList<FuzzModel> models)
    {
        var trees = new List<SyntaxTree> { s_shared };
        trees.AddRange(models.Select(m => CSharpSyntaxTree.ParseText(m.Source, GeneratorHarness.ParseOptions, path: m.Path)));
        var input = CSharpCompilation.Create("Fuzz", trees, GeneratorHarness.References, GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation compilation, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();

        var analyzerExceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) =>
            {
                lock (analyzerExceptions)
                {
                    analyzerExceptions.Add(exception);
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);

        // Compiler and analyzer diagnostics in one pass over the generated compilation.
        ImmutableArray<Diagnostic> diagnostics = compilation
            .WithAnalyzers([new NetworkAnalyzer(), new UsageAnalyzer()], options)
            .GetAllDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();
        return new BatchRun(
            run.Exception,
            generatorDiagnostics,
            analyzerExceptions,
            [.. diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning || d.Id.StartsWith("NG", StringComparison.Ordinal))],
            run.GeneratedSources.ToDictionary(s => s.HintName, s => s.SyntaxTree, StringComparer.Ordinal));
    }

    private static readonly SyntaxTree s_shared = CSharpSyntaxTree.ParseText(FuzzSourceGenerator.SharedSource, GeneratorHarness.ParseOptions, path: "Shared.cs");

    private static List<string> CheckBatch(List<FuzzModel> models, Stats stats)
    {
        BatchRun run = Run(models);
        stats.Compilations++;
        List<string> batchProblems = BatchProblems(run, models);
        if (batchProblems.Count > 0 && models.Count > 1)
        {
            // Find the model(s) to blame by compiling each alone.
            var blamed = new List<string>();
            foreach (FuzzModel m in models)
            {
                BatchRun solo = Run([m]);
                stats.Compilations++;
                List<string> soloProblems = BatchProblems(solo, [m]);
                if (soloProblems.Count > 0)
                {
                    blamed.Add(Describe(m, solo, soloProblems));
                }
            }

            return blamed.Count > 0 ? blamed
                : ["batch-level problems that no model reproduces alone:\n  " + string.Join("\n  ", batchProblems) + "\n" + string.Join("\n", models.Select(m => m.Source))];
        }

        if (batchProblems.Count > 0)
        {
            return [Describe(models[0], run, batchProblems)];
        }

        var failures = new List<string>();
        foreach (FuzzModel m in models)
        {
            List<string> problems = Check(m, run, stats);
            if (problems.Count > 0)
            {
                failures.Add(Describe(m, run, problems));
            }
        }

        return failures;
    }

    /// <summary>What cannot be pinned on one model's file: a generator or analyzer crash, stray generated files or diagnostics.</summary>
    private static List<string> BatchProblems(BatchRun run, IReadOnlyList<FuzzModel> models)
    {
        var problems = new List<string>();
        if (run.GeneratorException is not null)
        {
            problems.Add("the generator threw: " + run.GeneratorException);
        }

        problems.AddRange(run.GeneratorDiagnostics.Select(d => "generator diagnostic: " + d));
        problems.AddRange(run.AnalyzerExceptions.Select(e => "an analyzer threw: " + e));
        problems.AddRange(run.Diagnostics.Where(d => d.Id is "AD0001" or "CS8785").Select(d => "analyzer/generator failure: " + d));
        HashSet<string> paths = [.. models.Select(m => m.Path)];
        HashSet<SyntaxTree> generated = [.. run.Generated.Values];
        problems.AddRange(run.Diagnostics
            .Where(d => d.Location.SourceTree is not { } tree || (!paths.Contains(tree.FilePath) && !generated.Contains(tree)))
            .Select(d => "diagnostic outside every model: " + d));
        problems.AddRange(run.Generated.Keys
            .Where(hint => !models.Any(m => Owns(m, hint)))
            .Select(hint => "generated file of no model: " + hint));
        return problems;
    }

    private static bool Owns(FuzzModel m, string hint) => GeneratedSuffixes.Any(suffix => hint == m.FullName + suffix);

    /// <summary>Every per-model assertion; also tallies the statistics.</summary>
    private static List<string> Check(FuzzModel m, BatchRun run, Stats stats)
    {
        var problems = new List<string>();
        FuzzExpectation expected = FuzzOracle.Expect(m);
        Diagnostic[] inFile = [.. run.Diagnostics.Where(d => d.Location.SourceTree?.FilePath == m.Path)];
        Diagnostic[] ng = [.. inFile.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal))];
        Diagnostic[] cs = [.. inFile.Where(d => !d.Id.StartsWith("NG", StringComparison.Ordinal))];
        Diagnostic[] csErrors = [.. cs.Where(d => d.Severity == DiagnosticSeverity.Error)];
        string[] hints = [.. run.Generated.Keys.Where(hint => Owns(m, hint)).Order(StringComparer.Ordinal)];
        HashSet<SyntaxTree> ownTrees = [.. hints.Select(h => run.Generated[h])];
        Diagnostic[] inGenerated = [.. run.Diagnostics.Where(d => d.Location.SourceTree is { } t && ownTrees.Contains(t))];
        bool ngError = ng.Any(d => d.Severity == DiagnosticSeverity.Error);

        stats.Count(m, expected, ng, csErrors, hints.Length > 0);

        foreach (Diagnostic d in ng)
        {
            DiagnosticSeverity severity = WarningIds.Contains(d.Id) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            if (d.Severity != severity)
            {
                problems.Add(d.Id + " has severity " + d.Severity + ", documented as " + severity);
            }
        }

        // Whatever the verdict, a generated file must compile cleanly on its own.
        if (inGenerated.Length > 0)
        {
            problems.Add("the generated code has diagnostics:\n    " + string.Join("\n    ", inGenerated.Take(6).Select(d => WithLine(d))));
        }

        if (expected.Verdict == FuzzVerdict.CompilerError)
        {
            if (csErrors.Length == 0)
            {
                problems.Add("not valid C# (" + m.CompilerErrorLabel + ") but the compiler reported no error in the model's file");
            }

            // An attribute that does not bind leaves the model refused: at most its stub, never the network.
            if (m.CompilerError == FuzzCompilerError.Unbound && hints.Length > 0 && !(FuzzOracle.Stubbable(m) && hints.SequenceEqual([m.FullName + ".Network.g.cs"])))
            {
                problems.Add("an attribute that does not bind (" + m.CompilerErrorLabel + "), yet the generator emitted " + string.Join(", ", hints));
            }

            return problems;
        }

        // The verdict, then the exact ids.
        if (ngError != (expected.Verdict == FuzzVerdict.Invalid))
        {
            problems.Add("VERDICT: the reference validator says " + expected.Verdict + " but the analyzer reported "
                + (ngError ? "errors" : "no error"));
        }

        SortedSet<string> reported = new(ng.Select(d => d.Id), StringComparer.Ordinal);
        if (!reported.SetEquals(expected.Ids))
        {
            problems.Add("NG ids: expected {" + string.Join(", ", expected.Ids) + "}, reported {" + string.Join(", ", reported) + "}");
        }

        // C# errors and warnings in the model's own file: only the deliberate ones.
        bool unrelated = m.CompilerError == FuzzCompilerError.Unrelated;
        if (unrelated && csErrors.Length == 0)
        {
            problems.Add("a deliberate C# error (" + m.CompilerErrorLabel + ") that the compiler did not report");
        }

        Diagnostic[] unexpected = [.. cs.Where(d => !(unrelated && d.Severity == DiagnosticSeverity.Error) && !Expected(m, expected, d.Id))];
        if (unexpected.Length > 0)
        {
            problems.Add("unexpected C# diagnostics in the model's file:\n    " + string.Join("\n    ", unexpected.Take(6).Select(d => WithLine(d))));
        }

        switch (expected.Verdict)
        {
            case FuzzVerdict.Valid when hints.Length != 3:
                problems.Add("valid, but the generator emitted " + Num(hints.Length) + " files (" + string.Join(", ", hints) + ") instead of 3 named after " + m.FullName);
                break;
            case FuzzVerdict.Invalid when FuzzOracle.Stubbable(m) && !hints.SequenceEqual([m.FullName + ".Network.g.cs"]):
                problems.Add("invalid, but the generator emitted " + (hints.Length == 0 ? "nothing" : string.Join(", ", hints)) + " instead of the stub " + m.FullName + ".Network.g.cs");
                break;
            case FuzzVerdict.Invalid or FuzzVerdict.NotAModel when hints.Length > 0 && !(expected.Verdict == FuzzVerdict.Invalid && FuzzOracle.Stubbable(m)):
                problems.Add(expected.Verdict + ", yet the generator emitted " + string.Join(", ", hints));
                break;
        }

        return problems;
    }

    /// <summary>
    /// C# diagnostics a model's own file may have: the ones its spelling asks for, and the cascade of an invalid model
    /// that names NetGen.Network as its base but can get no stub (one that is not partial, say): its abstract members.
    /// </summary>
    private static bool Expected(FuzzModel m, FuzzExpectation expected, string id) => id switch
    {
        "CS8981" => expected.LowercaseNameWarning,   // a type name of lowercase letters only (@class)
        "CS8625" => m.NullInputShape,                // [Sequential(null)]: a null for the non-nullable params array
        "CS0534" => expected.Verdict != FuzzVerdict.Valid && m.BaseNamesNetwork && !FuzzOracle.Stubbable(m),
        _ => false,
    };

    private static string Describe(FuzzModel m, BatchRun run, List<string> problems)
    {
        FuzzExpectation expected = FuzzOracle.Expect(m);
        var w = new StringBuilder();
        w.Append("model ").Append(Num(m.Id)).Append(" (").Append(m.Path).Append(", ").Append(m.FullName).Append(")\n");
        foreach (string problem in problems)
        {
            w.Append("  PROBLEM: ").Append(problem).Append('\n');
        }

        w.Append("  reference validator: ").Append(expected.Verdict).Append(" {").Append(string.Join(", ", expected.Ids)).Append("}\n");
        foreach (string reason in expected.Reasons)
        {
            w.Append("    ").Append(reason).Append('\n');
        }

        w.Append("  reported in the model's file:\n");
        foreach (Diagnostic d in run.Diagnostics.Where(d => d.Location.SourceTree?.FilePath == m.Path))
        {
            w.Append("    ").Append(WithLine(d)).Append('\n');
        }

        w.Append("  generated: ").Append(string.Join(", ", run.Generated.Keys.Where(h => Owns(m, h)))).Append('\n');
        w.Append("  source:\n").Append(m.Source);
        return w.ToString();
    }

    /// <summary>A diagnostic with the text of the line it points at.</summary>
    private static string WithLine(Diagnostic d)
    {
        string text = d.ToString();
        if (d.Location.SourceTree is { } tree)
        {
            int line = d.Location.GetLineSpan().StartLinePosition.Line;
            text += "\n        | " + tree.GetText().Lines[line].ToString().Trim();
        }

        return text;
    }

    private static int BatchSeed(int seed, int batch) => unchecked((seed * 7919) + (batch * 104_729));

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a run covered, printed to the test output.</summary>
    private sealed class Stats
    {
        private readonly SortedDictionary<string, int> _verdicts = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _compilerErrors = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _ngIds = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _csIds = new(StringComparer.Ordinal);

        public int Models { get; private set; }

        public int Compilations { get; set; }

        public void Count(FuzzModel m, FuzzExpectation expected, Diagnostic[] ng, Diagnostic[] csErrors, bool generated)
        {
            Models++;
            string verdict = expected.Verdict == FuzzVerdict.CompilerError
                ? "not C# (" + m.CompilerError + (m.CompilerError == FuzzCompilerError.Recovered ? generated ? ", generated anyway" : ", nothing generated" : string.Empty) + ")"
                : expected.Verdict + (m.CompilerError == FuzzCompilerError.Unrelated ? " + unrelated C# error" : string.Empty);
            Increment(_verdicts, verdict);
            if (m.CompilerErrorLabel is { } label)
            {
                Increment(_compilerErrors, label + " → " + string.Join("/", csErrors.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal)));
            }

            foreach (string id in ng.Select(d => d.Id).Distinct())
            {
                Increment(_ngIds, id);
            }

            foreach (string id in csErrors.Select(d => d.Id).Distinct())
            {
                Increment(_csIds, id);
            }
        }

        public override string ToString()
        {
            static string Table(string title, SortedDictionary<string, int> counts) =>
                title + ":\n" + string.Join("\n", counts.Select(kv => "  " + kv.Value.ToString(CultureInfo.InvariantCulture).PadLeft(5) + "  " + kv.Key));

            return Table("verdicts", _verdicts) + "\n" + Table("models with an NG id", _ngIds) + "\n" + Table("models with a CS error", _csIds)
                + "\n" + Table("deliberate C# errors → CS ids reported", _compilerErrors);
        }

        private static void Increment(SortedDictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
    }
}
