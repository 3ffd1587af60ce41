using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's caching, read from the driver's tracked steps. <see cref="TrackingNames.Declarations"/> is the
/// <c>ForAttributeWithMetadataName</c> transform: Roslyn re-runs it whenever the compilation changes, so after an
/// edit that does not touch the model its output is <see cref="IncrementalStepRunReason.Unchanged"/> (re-computed,
/// equal). Everything after it, <see cref="TrackingNames.Models"/> and the source output, must then be
/// <see cref="IncrementalStepRunReason.Cached"/>: not re-run at all.
/// </summary>
public sealed class IncrementalTests
{
    private const string SourceOutput = "SourceOutput";

    private const string XorWithComment = "// Edited by the caching tests.\n" + TestModels.Xor;

    public static TheoryData<string> Models => TestModels.Names;

    [Theory]
    [MemberData(nameof(Models))]
    public void Rerun_on_an_identical_compilation_caches_every_step(string model)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TestModels.All[model]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableGenerated first = Generated(driver);

        driver = driver.RunGenerators(compilation.Clone());

        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.Declarations));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Models));
        Assert.Equal([IncrementalStepRunReason.Cached], OutputReasons(driver));
        Assert.Equal(first, Generated(driver));
    }

    [Fact]
    public void Unrelated_type_added_in_another_file_regenerates_nothing()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TestModels.Xor);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableGenerated first = Generated(driver);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other;\n\npublic sealed class Unrelated\n{\n}\n", GeneratorHarness.ParseOptions, path: "Unrelated.cs")));

        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.Declarations));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Models));
        Assert.Equal([IncrementalStepRunReason.Cached], OutputReasons(driver));
        Assert.Equal(first, Generated(driver));
    }

    [Fact]
    public void Comment_changed_in_the_model_file_regenerates_nothing()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(XorWithComment);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableGenerated first = Generated(driver);

        driver = driver.RunGenerators(Edit(compilation, 0, "Edited by the caching tests.", "Edited again, with different words."));

        // The edited file is re-parsed and the model re-read, which yields an equal declaration...
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.Declarations));

        // ...so validation, shape inference and emission do not run again.
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Models));
        Assert.Equal([IncrementalStepRunReason.Cached], OutputReasons(driver));
        Assert.Equal(first, Generated(driver));
    }

    [Fact]
    public void Layer_units_changed_regenerates_the_model()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TestModels.Xor);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableGenerated first = Generated(driver);

        driver = driver.RunGenerators(Edit(compilation, 0, "[Dense(2, Activation.Sigmoid, Name = \"hidden\")]", "[Dense(3, Activation.Sigmoid, Name = \"hidden\")]"));

        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Declarations));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Models));
        Assert.Equal([IncrementalStepRunReason.Modified], OutputReasons(driver));
        ImmutableGenerated second = Generated(driver);
        Assert.Equal(first.Keys, second.Keys);
        Assert.All(first.Keys, hint => Assert.NotEqual(first[hint], second[hint]));
        Assert.Contains("public const int ParameterCount = 13;", second["Samples.Xor.XorNet.Network.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_one_model_leaves_another_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TestModels.Xor, TestModels.Regression);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableGenerated first = Generated(driver);

        driver = driver.RunGenerators(Edit(compilation, 1, "[Dense(32, Activation.Tanh)]", "[Dense(48, Activation.Tanh)]"));

        Assert.Equal(
            [IncrementalStepRunReason.Modified, IncrementalStepRunReason.Unchanged],
            Reasons(driver, TrackingNames.Declarations).Order());
        Assert.Equal(
            [IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached],
            Reasons(driver, TrackingNames.Models).Order());
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached], OutputReasons(driver).Order());
        ImmutableGenerated second = Generated(driver);
        Assert.All(first.Keys.Where(h => h.StartsWith("Samples.Xor.", StringComparison.Ordinal)), hint => Assert.Equal(first[hint], second[hint]));
        Assert.All(first.Keys.Where(h => h.StartsWith("Samples.Regression.", StringComparison.Ordinal)), hint => Assert.NotEqual(first[hint], second[hint]));
    }

    /// <summary>Caching must not hide a semantic change made in another file: a constant the model's attributes read.</summary>
    [Fact]
    public void Constant_changed_in_another_file_regenerates_the_model()
    {
        const string Model = """
            using NetGen;

            namespace Samples;

            [Sequential(Sizes.Inputs)]
            [Dense(Sizes.Hidden, Activation.ReLU)]
            [Dense(1)]
            public partial class ConstNet;
            """;
        const string Sizes = "namespace Samples;\n\ninternal static class Sizes\n{\n    public const int Inputs = 3;\n    public const int Hidden = 5;\n}\n";
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Model, Sizes);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Contains("public const int ParameterCount = 26;", Generated(driver)["Samples.ConstNet.Network.g.cs"], StringComparison.Ordinal);

        driver = driver.RunGenerators(Edit(compilation, 1, "Hidden = 5", "Hidden = 7"));

        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Declarations));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Models));
        Assert.Contains("public const int ParameterCount = 36;", Generated(driver)["Samples.ConstNet.Network.g.cs"], StringComparison.Ordinal);
    }

    private const string Broken = "using NetGen;\n\nnamespace Samples;\n\n// A comment the caching tests edit.\n"
        + "[Sequential(4, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Dense(0, Activation.ReLU)]\n[Dense(3)]\npublic partial class BrokenNet;\n";

    [Fact]
    public void A_refused_models_stub_is_cached_like_a_model()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Broken);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableGenerated first = Generated(driver);
        Assert.Equal(["Samples.BrokenNet.Network.g.cs"], first.Keys);

        driver = driver.RunGenerators(compilation.Clone());
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.Declarations));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Stubs));
        Assert.Equal([IncrementalStepRunReason.Cached], OutputReasons(driver));

        driver = driver.RunGenerators(Edit(compilation, 0, "A comment the caching tests edit.", "The comment, edited."));
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.Declarations));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Stubs));
        Assert.Equal([IncrementalStepRunReason.Cached], OutputReasons(driver));
        Assert.Equal(first, Generated(driver));
    }

    [Fact]
    public void A_stub_follows_the_edits_that_change_it_and_gives_way_to_the_model_once_fixed()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Broken);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        // Another output width: the stub's OutputSize changes.
        compilation = Edit(compilation, 0, "[Dense(3)]", "[Dense(5)]");
        driver = driver.RunGenerators(compilation);
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Stubs));
        Assert.Contains("public const int OutputSize = 5;", Generated(driver)["Samples.BrokenNet.Network.g.cs"], StringComparison.Ordinal);

        // Fixed: the stub's step has nothing left, and the model's three files replace it.
        driver = driver.RunGenerators(Edit(Edit(compilation, 0, "[Dense(0, Activation.ReLU)]", "[Dense(8, Activation.ReLU)]"), 0, "[Dense(5)]", "[Dense(5, Activation.Softmax)]"));
        Assert.Equal([IncrementalStepRunReason.Removed], Reasons(driver, TrackingNames.Stubs));
        Assert.Equal([IncrementalStepRunReason.New], Reasons(driver, TrackingNames.Models));
        Assert.Equal(["Samples.BrokenNet.Backward.g.cs", "Samples.BrokenNet.Forward.g.cs", "Samples.BrokenNet.Network.g.cs"], Generated(driver).Keys);
    }

    [Fact]
    public void Stubs_hold_only_plain_equatable_data()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(Broken));
        object[] stubs = [.. driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Stubs].SelectMany(s => s.Outputs).Select(o => o.Value)];
        Assert.IsType<NetworkStub>(Assert.Single(stubs));

        var problems = new List<string>();
        CheckType(typeof(NetworkStub), nameof(NetworkStub), problems, []);
        CheckValue(stubs[0], nameof(NetworkStub), problems);
        Assert.True(problems.Count == 0, "The stub model holds more than plain data:\n" + string.Join("\n", problems.Distinct()));
    }

    /// <summary>
    /// Style example 2: the values the pipeline caches hold only plain data. Walks every output of both tracked steps
    /// (and, statically, every field type they can hold) and fails on symbols, syntax, locations, compilations,
    /// semantic models, raw arrays, dictionaries, or anything else that is not a primitive, a string, an enum, an
    /// <see cref="EquatableArray{T}"/> or a generator model type.
    /// </summary>
    [Fact]
    public void Pipeline_models_hold_only_plain_equatable_data()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([.. TestModels.All.Values]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        object[] declarations = [.. run.TrackedSteps[TrackingNames.Declarations].SelectMany(s => s.Outputs).Select(o => o.Value)];
        object[] models = [.. run.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs).Select(o => o.Value)];
        Assert.Equal(TestModels.All.Count, declarations.Length);
        Assert.Equal(TestModels.All.Count, models.Length);
        Assert.All(declarations, d => Assert.IsType<NetworkDeclaration>(d));
        Assert.All(models, m => Assert.IsType<NetworkSpec>(m));

        var problems = new List<string>();
        CheckType(typeof(NetworkDeclaration), nameof(NetworkDeclaration), problems, []);
        CheckType(typeof(NetworkSpec), nameof(NetworkSpec), problems, []);
        foreach (object value in declarations.Concat(models))
        {
            CheckValue(value, value.GetType().Name, problems);
        }

        Assert.True(problems.Count == 0, "Pipeline models hold more than plain data:\n" + string.Join("\n", problems.Distinct()));
    }

    /// <summary>
    /// The per-kind argument records the declarations and specs hold (abstract <see cref="LayerArguments"/> to the walk
    /// above): every kind's, checked statically, and the values of a model with every kind, walked at run time.
    /// </summary>
    [Fact]
    public void Every_kinds_arguments_are_plain_equatable_data()
    {
        Type[] records = [.. typeof(NetworkGenerator).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(Model.LayerArguments).IsAssignableFrom(t))];
        Assert.Equal(Enum.GetValues<Model.LayerKind>().Length, records.Length);
        var problems = new List<string>();
        foreach (Type record in records)
        {
            CheckType(record, record.Name, problems, []);
        }

        const string EveryKind = """
            using NetGen;

            [Sequential(4, 3, Loss = Loss.CategoricalCrossEntropy)]
            [Flatten]
            [Normalization]
            [Dense(8, Activation.LeakyReLU, Alpha = 0.1, KernelL2 = 0.01)]
            [Dropout(0.5)]
            [Dense(3, Activation.Softmax)]
            public partial class EveryKind;
            """;
        GeneratorRunResult run = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(EveryKind)).GetRunResult().Results.Single();
        object[] values = [.. run.TrackedSteps[TrackingNames.Declarations].Concat(run.TrackedSteps[TrackingNames.Models]).SelectMany(s => s.Outputs).Select(o => o.Value)];
        Assert.Equal(2, values.Length);
        foreach (object value in values)
        {
            CheckValue(value, value.GetType().Name, problems);
        }

        Assert.True(problems.Count == 0, "Layer arguments hold more than plain data:\n" + string.Join("\n", problems.Distinct()));
    }

    [Fact]
    public void The_object_graph_walk_catches_forbidden_members()
    {
        var problems = new List<string>();
        CheckType(typeof(Forbidden), nameof(Forbidden), problems, []);
        CheckValue(new Forbidden(null, [], new Dictionary<string, int>(), null), nameof(Forbidden), problems);
        Assert.Contains(problems, p => p.Contains("Forbidden.Symbol", StringComparison.Ordinal) && p.Contains("ISymbol", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Forbidden.Array", StringComparison.Ordinal) && p.Contains("raw array", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Forbidden.Map", StringComparison.Ordinal) && p.Contains("Dictionary", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Forbidden.Where", StringComparison.Ordinal) && p.Contains("Location", StringComparison.Ordinal));
    }

    private static readonly (Type Type, string What)[] s_forbidden =
    [
        (typeof(ISymbol), "an ISymbol"),
        (typeof(SyntaxNode), "a SyntaxNode"),
        (typeof(SyntaxTree), "a SyntaxTree"),
        (typeof(Location), "a Location"),
        (typeof(Compilation), "a Compilation"),
        (typeof(SemanticModel), "a SemanticModel"),
        (typeof(AttributeData), "an AttributeData"),
        (typeof(IDictionary), "a Dictionary"),
    ];

    /// <summary>Checks what a type's instance fields can hold, recursing into generator model types and EquatableArray element types.</summary>
    private static void CheckType(Type type, string path, List<string> problems, HashSet<Type> seen)
    {
        if (IsPlainLeaf(type) || !seen.Add(type))
        {
            return;
        }

        if (ForbiddenKind(type) is { } what)
        {
            problems.Add(path + " is " + what + " (" + type.Name + ")");
            return;
        }

        if (type.IsArray)
        {
            problems.Add(path + " is a raw array (" + type.Name + "): use EquatableArray<T>");
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            CheckType(type.GetGenericArguments()[0], path + "[]", problems, seen);
            return;
        }

        if (type.Assembly != typeof(NetworkGenerator).Assembly && type.Assembly != typeof(IncrementalTests).Assembly)
        {
            problems.Add(path + " is " + type.FullName + ", neither plain data nor a generator model type");
            return;
        }

        if (!typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type))
        {
            problems.Add(path + " (" + type.Name + ") has no value equality");
        }

        foreach (FieldInfo field in InstanceFields(type))
        {
            CheckType(field.FieldType, path + "." + MemberName(field), problems, seen);
        }
    }

    /// <summary>Checks the actual values, so an object-typed or interface-typed member cannot hide a symbol at run time.</summary>
    private static void CheckValue(object? value, string path, List<string> problems)
    {
        if (value is null || IsPlainLeaf(value.GetType()))
        {
            return;
        }

        Type type = value.GetType();
        if (ForbiddenKind(type) is { } what)
        {
            problems.Add(path + " holds " + what + " (" + type.Name + ")");
            return;
        }

        if (type.IsArray)
        {
            problems.Add(path + " holds a raw array (" + type.Name + ")");
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            int i = 0;
            foreach (object? item in (IEnumerable)value)
            {
                CheckValue(item, path + "[" + i++ + "]", problems);
            }

            return;
        }

        if (type.Assembly != typeof(NetworkGenerator).Assembly && type.Assembly != typeof(IncrementalTests).Assembly)
        {
            problems.Add(path + " holds " + type.FullName + ", neither plain data nor a generator model type");
            return;
        }

        foreach (FieldInfo field in InstanceFields(type))
        {
            CheckValue(field.GetValue(value), path + "." + MemberName(field), problems);
        }
    }

    private static bool IsPlainLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || (Nullable.GetUnderlyingType(type) is { } underlying && IsPlainLeaf(underlying));

    private static string? ForbiddenKind(Type type) =>
        s_forbidden.FirstOrDefault(f => f.Type.IsAssignableFrom(type)).What;

    private static IEnumerable<FieldInfo> InstanceFields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    /// <summary>A record's backing field "&lt;Units&gt;k__BackingField" reads as "Units".</summary>
    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)] : field.Name;

    private static CSharpCompilation Edit(CSharpCompilation compilation, int treeIndex, string oldText, string newText)
    {
        SyntaxTree tree = compilation.SyntaxTrees[treeIndex];
        string text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text.Replace(oldText, newText, StringComparison.Ordinal))));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        [.. driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    private static IncrementalStepRunReason[] OutputReasons(GeneratorDriver driver) =>
        [.. driver.GetRunResult().Results.Single().TrackedOutputSteps[SourceOutput].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    private static ImmutableGenerated Generated(GeneratorDriver driver) =>
        new(driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal));

    /// <summary>The generated files by hint name, compared by content.</summary>
    private sealed class ImmutableGenerated(Dictionary<string, string> files) : IEquatable<ImmutableGenerated>
    {
        public IEnumerable<string> Keys => files.Keys.Order(StringComparer.Ordinal);

        public string this[string hint] => files[hint];

        public bool Equals(ImmutableGenerated? other) =>
            other is not null && Keys.SequenceEqual(other.Keys) && Keys.All(k => files[k] == other[k]);

        public override bool Equals(object? obj) => Equals(obj as ImmutableGenerated);

        public override int GetHashCode() => files.Count;

        public override string ToString() => string.Join(", ", Keys);
    }

    /// <summary>A deliberately impure model, to show the walk catches what it must.</summary>
    private sealed record Forbidden(ISymbol? Symbol, int[] Array, Dictionary<string, int> Map, Location? Where);
}
