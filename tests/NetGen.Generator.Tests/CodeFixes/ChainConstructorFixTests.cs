using System.Threading.Tasks;
using NetGen.CodeFixes;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>NG0018: the user's constructor gets <c>: this(seed)</c> or <c>: this(seed: null)</c>, replacing a <c>: base(...)</c>.</summary>
public sealed class ChainConstructorFixTests
{
    [Theory]
    [InlineData("public Net(string label)\n    {\n        Label = label;\n    }", "public Net(string label) : this(seed: null)\n    {\n        Label = label;\n    }")]
    [InlineData("public Net(string label) => Label = label;", "public Net(string label) : this(seed: null) => Label = label;")]
    [InlineData("public Net(string label, long seed)\n        : base()\n    {\n        Label = label;\n    }", "public Net(string label, long seed)\n        : this(seed)\n    {\n        Label = label;\n    }")]
    [InlineData("public Net(string label, long? seed = null) => Label = label;", "public Net(string label, long? seed = null) : this(seed) => Label = label;")]
    [InlineData("public Net()\n    {\n        Label = \"default\";\n    }", "public Net() : this(seed: null)\n    {\n        Label = \"default\";\n    }")]
    public async Task Typical(string constructor, string expected)
    {
        const string Model = "using NetGen;\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net\n{\n    CTOR\n\n    public string Label { get; } = \"\";\n}\n";
        string fixedSource = await CodeFixHarness.FixAsync(new ChainConstructorCodeFixProvider(), Model.Replace("CTOR", constructor, System.StringComparison.Ordinal), DiagnosticIds.ConstructorNotChained);
        Assert.Equal(Model.Replace("CTOR", expected, System.StringComparison.Ordinal), fixedSource);
        CodeFixHarness.AssertGenerates(fixedSource);
    }
}
