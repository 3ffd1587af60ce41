using System;
using System.Linq;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// Hint names must be unique ignoring case (Roslyn compares them so, for case-insensitive file systems): two models
/// whose full names differ only in case used to make the generator throw (CS8785) and drop every model.
/// </summary>
public sealed class HintNameTests
{
    private const string Layers = "[Sequential(2)]\n[Dense(1)]\n";

    [Theory]
    [InlineData("namespace Demo;\n\n" + Layers + "public partial class Net;\n\n" + Layers + "public partial class NET;\n", "Demo.Net", "Demo.NET")]
    [InlineData("namespace Demo.models\n{\n" + Layers + "public partial class Net;\n}\n\nnamespace Demo.Models\n{\n" + Layers + "public partial class Net;\n}\n", "Demo.models.Net", "Demo.Models.Net")]
    [InlineData("public partial class Outer\n{\n" + Layers + "public partial class Net;\n}\n\npublic partial class OUTER\n{\n" + Layers + "public partial class Net;\n}\n", "Outer.Net", "OUTER.Net")]
    public void Models_whose_full_names_differ_only_in_case_get_distinct_hint_names(string source, string first, string second)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n" + source + "\n" + Layers + "public partial class Other;\n");

        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Empty(result.OutputDiagnostics);
        string[] hints = [.. result.GeneratedSources.Select(f => f.HintName)];
        Assert.Equal(9, hints.Length);
        Assert.Equal(hints.Length, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        // The two look-alikes carry a hash of their exact name; a model without a twin keeps its plain name.
        Assert.Equal(3, hints.Count(h => h.StartsWith(first + "-", StringComparison.Ordinal)));
        Assert.Equal(3, hints.Count(h => h.StartsWith(second + "-", StringComparison.Ordinal)));
        Assert.Single(hints, h => h.EndsWith("Other.Network.g.cs", StringComparison.Ordinal) && !h.Contains('-', StringComparison.Ordinal));
    }

    [Fact]
    public void A_nested_class_and_a_namespace_class_of_the_same_dotted_name_never_make_the_generator_throw()
    {
        // Both are A.B.C. The compiler reports the clash of type A.B with namespace A.B itself; the generator must not
        // add an exception of its own (CS8785), and a model elsewhere still gets its files.
        HarnessResult result = GeneratorHarness.Run(
            "using NetGen;\nnamespace A { public partial class B {\n" + Layers + "public partial class C; } }\n" +
            "namespace A.B {\n" + Layers + "public partial class C; }\n" +
            "namespace Z {\n" + Layers + "public partial class Other; }\n");

        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        string[] hints = [.. result.GeneratedSources.Select(f => f.HintName)];
        Assert.Equal(hints.Length, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("Z.Other.Network.g.cs", hints);
    }

    [Fact]
    public void The_hash_depends_only_on_the_model_name()
    {
        const string Net = "namespace Demo;\n\n" + Layers + "public partial class Net;\n";
        const string NET = "namespace Demo;\n\n" + Layers + "public partial class NET;\n";
        const string Other = "namespace Zoo;\n\n" + Layers + "public partial class NET;\n";
        string[] once = [.. GeneratorHarness.Run("using NetGen;\n" + Net, "using NetGen;\n" + NET).GeneratedSources.Select(f => f.HintName)];
        string[] again = [.. GeneratorHarness.Run("using NetGen;\n" + NET, "using NetGen;\n" + Other, "using NetGen;\n" + Net).GeneratedSources.Select(f => f.HintName)];

        Assert.All(once, hint => Assert.Contains(hint, again));
    }
}
