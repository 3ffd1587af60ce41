using System.Threading.Tasks;
using NetGen.CodeFixes;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>NG0001 and NG0002: <c>partial</c> goes after the other modifiers, right before the keyword, and trivia stays.</summary>
public sealed class MakePartialFixTests
{
    [Fact]
    public async Task NG0001_public_class()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new MakeModelPartialCodeFixProvider(), """
            using NetGen;

            [Sequential(2)]
            [Dense(1)]
            public class Net;
            """, DiagnosticIds.NotPartial);
        Assert.Equal("""
            using NetGen;

            [Sequential(2)]
            [Dense(1)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task NG0001_public_sealed_class()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new MakeModelPartialCodeFixProvider(), """
            using NetGen;

            namespace Models
            {
                [Sequential(4)]
                [Dense(8, Activation.ReLU)]
                [Dense(1)]
                public sealed class Net
                {
                    public int Extra => 1;
                }
            }
            """, DiagnosticIds.NotPartial);
        Assert.Equal("""
            using NetGen;

            namespace Models
            {
                [Sequential(4)]
                [Dense(8, Activation.ReLU)]
                [Dense(1)]
                public sealed partial class Net
                {
                    public int Extra => 1;
                }
            }
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task NG0001_no_modifiers_keeps_the_keywords_leading_trivia()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new MakeModelPartialCodeFixProvider(), """
            using NetGen;

            /// <summary>A model.</summary>
            [Sequential(2)] [Dense(1)] /* the class */ class Net;
            """, DiagnosticIds.NotPartial);
        Assert.Equal("""
            using NetGen;

            /// <summary>A model.</summary>
            [Sequential(2)] [Dense(1)] /* the class */ partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task NG0002_nested_in_a_non_partial_class()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new MakeContainingTypesPartialCodeFixProvider(), """
            using NetGen;

            public class Outer
            {
                [Sequential(2)]
                [Dense(1)]
                public partial class Net;
            }
            """, DiagnosticIds.ContainingTypeNotPartial);
        Assert.Equal("""
            using NetGen;

            public partial class Outer
            {
                [Sequential(2)]
                [Dense(1)]
                public partial class Net;
            }
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task NG0002_every_non_partial_containing_type_at_once()
    {
        // Two NG0002 on the model's name, one per outer type; one action fixes both, and leaves the partial middle alone.
        string fixedSource = await CodeFixHarness.FixAsync(new MakeContainingTypesPartialCodeFixProvider(), """
            using NetGen;

            internal static class Outer
            {
                public partial class Middle
                {
                    internal sealed class Inner
                    {
                        [Sequential(2)]
                        [Dense(1)]
                        public partial class Net;
                    }
                }
            }
            """, DiagnosticIds.ContainingTypeNotPartial);
        Assert.Equal("""
            using NetGen;

            internal static partial class Outer
            {
                public partial class Middle
                {
                    internal sealed partial class Inner
                    {
                        [Sequential(2)]
                        [Dense(1)]
                        public partial class Net;
                    }
                }
            }
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task NG0001_and_NG0002_together()
    {
        const string Source = """
            using NetGen;

            struct Outer
            {
                [Sequential(2)]
                [Dense(1)]
                internal class Net;
            }
            """;
        string model = await CodeFixHarness.FixAsync(new MakeModelPartialCodeFixProvider(), Source, DiagnosticIds.NotPartial);
        Assert.Contains("    internal partial class Net;", model, System.StringComparison.Ordinal);
        string both = await CodeFixHarness.FixAsync(new MakeContainingTypesPartialCodeFixProvider(), model, DiagnosticIds.ContainingTypeNotPartial);
        Assert.Equal("""
            using NetGen;

            partial struct Outer
            {
                [Sequential(2)]
                [Dense(1)]
                internal partial class Net;
            }
            """, both);
        CodeFixHarness.AssertGenerates(both);
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        string fixedSource = await CodeFixHarness.FixAllAsync(new MakeModelPartialCodeFixProvider(), """
            using NetGen;

            [Sequential(2)]
            [Dense(1)]
            public class First;

            [Sequential(3)]
            [Dense(2)]
            sealed class Second;
            """, MakeModelPartialCodeFixProvider.EquivalenceKey);
        Assert.Equal("""
            using NetGen;

            [Sequential(2)]
            [Dense(1)]
            public partial class First;

            [Sequential(3)]
            [Dense(2)]
            sealed partial class Second;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Fix_all_containing_types_merges_the_identical_edits()
    {
        string fixedSource = await CodeFixHarness.FixAllAsync(new MakeContainingTypesPartialCodeFixProvider(), """
            using NetGen;

            class A
            {
                class B
                {
                    [Sequential(2)]
                    [Dense(1)]
                    partial class Net;
                }

                [Sequential(2)]
                [Dense(1)]
                partial class Other;
            }
            """, MakeContainingTypesPartialCodeFixProvider.EquivalenceKey);
        Assert.Equal("""
            using NetGen;

            partial class A
            {
                partial class B
                {
                    [Sequential(2)]
                    [Dense(1)]
                    partial class Net;
                }

                [Sequential(2)]
                [Dense(1)]
                partial class Other;
            }
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }
}
