using System.Threading.Tasks;
using NetGen.CodeFixes;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>NG0106: <c>[Flatten]</c> goes right before the Dense layer that receives a multi-dimensional input.</summary>
public sealed class InsertFlattenFixTests
{
    [Fact]
    public async Task Own_list_on_its_own_line()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;

            [Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
            [Dense(100, Activation.ReLU, Name = "hidden")]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;

            [Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
            [Flatten]
            [Dense(100, Activation.ReLU, Name = "hidden")]
            [Dense(10, Activation.Softmax)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Keeps_indentation_and_comments_above()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;

            namespace Models
            {
                [Sequential(inputShape: [4, 3])]
                [Dropout(0.1)]
                // the output
                [Dense(1)]
                public partial class Net;
            }
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;

            namespace Models
            {
                [Sequential(inputShape: [4, 3])]
                [Dropout(0.1)]
                // the output
                [Flatten]
                [Dense(1)]
                public partial class Net;
            }
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Into_a_shared_list_before_the_dense()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;

            [Sequential(inputShape: [28, 28]), Dense(100, Activation.ReLU), Dense(10)]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;

            [Sequential(inputShape: [28, 28]), Flatten, Dense(100, Activation.ReLU), Dense(10)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Into_a_shared_list_as_its_first_attribute()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;

            [Sequential(inputShape: [2, 2])]
            [Dense(4, Activation.ReLU), Dense(1)]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;

            [Sequential(inputShape: [2, 2])]
            [Flatten, Dense(4, Activation.ReLU), Dense(1)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Own_list_sharing_a_line()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;

            [Sequential(inputShape: [2, 2])] [Dense(1)]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;

            [Sequential(inputShape: [2, 2])] [Flatten] [Dense(1)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Keeps_crlf_line_breaks()
    {
        string fixedSource = await CodeFixHarness.FixAsync(
            new InsertFlattenCodeFixProvider(),
            "using NetGen;\r\n\r\n[Sequential(inputShape: [2, 2])]\r\n\t[Dense(1)]\r\npublic partial class Net;\r\n",
            DiagnosticIds.NeedsFlatten);
        Assert.Equal("using NetGen;\r\n\r\n[Sequential(inputShape: [2, 2])]\r\n\t[Flatten]\r\n\t[Dense(1)]\r\npublic partial class Net;\r\n", fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Theory]
    [InlineData("NetGen.Dense(1)", "NetGen.Flatten")]
    [InlineData("global::NetGen.DenseAttribute(1)", "global::NetGen.FlattenAttribute")]
    [InlineData("DenseAttribute(1)", "FlattenAttribute")]
    public async Task Names_flatten_the_way_dense_is_named(string dense, string flatten)
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;

            [NetGen.Sequential(inputShape: [2, 2])]
            [
            """ + dense + """
            ]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;

            [NetGen.Sequential(inputShape: [2, 2])]
            [
            """ + flatten + """
            ]
            [
            """ + dense + """
            ]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Under_an_alias_flatten_is_simplified_to_what_the_usings_allow()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using NetGen;
            using Layer = NetGen.DenseAttribute;

            [Sequential(inputShape: [2, 2])]
            [Layer(1)]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using NetGen;
            using Layer = NetGen.DenseAttribute;

            [Sequential(inputShape: [2, 2])]
            [Flatten]
            [Layer(1)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }

    [Fact]
    public async Task Under_an_alias_without_using_netgen_flatten_stays_qualified()
    {
        string fixedSource = await CodeFixHarness.FixAsync(new InsertFlattenCodeFixProvider(), """
            using Layer = NetGen.DenseAttribute;

            [NetGen.Sequential(inputShape: [2, 2])]
            [Layer(1)]
            public partial class Net;
            """, DiagnosticIds.NeedsFlatten);
        Assert.Equal("""
            using Layer = NetGen.DenseAttribute;

            [NetGen.Sequential(inputShape: [2, 2])]
            [NetGen.Flatten]
            [Layer(1)]
            public partial class Net;
            """, fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }
}
