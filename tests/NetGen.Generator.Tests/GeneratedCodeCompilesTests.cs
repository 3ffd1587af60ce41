using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// Valid models declared in ways the generated code must survive: the generator emits for them, and the output
/// compiles without a single error or warning, in the generated files or the user's.
/// </summary>
public sealed class GeneratedCodeCompilesTests
{
    /// <summary>
    /// Contextual keywords and lowercase-only names, written with '@' by the user, were emitted bare: CS9056 for
    /// 'file', CS9029 for 'required', CS9062 for 'scoped', CS8860 for 'record', CS8981 for the rest, in generated code.
    /// </summary>
    [Theory]
    [InlineData("file")]
    [InlineData("required")]
    [InlineData("scoped")]
    [InlineData("extension")]
    [InlineData("record")]
    [InlineData("var")]
    [InlineData("partial")]
    [InlineData("field")]
    [InlineData("dynamic")]
    [InlineData("async")]
    [InlineData("await")]
    [InlineData("value")]
    [InlineData("nameof")]
    [InlineData("when")]
    [InlineData("allows")]
    [InlineData("net")]
    [InlineData("class")]
    public void Class_and_containing_type_names_that_are_keywords_or_lowercase(string name)
    {
        AssertCompiles("[Sequential(2)]\n[Dense(1)]\npublic partial class @" + name + ";\n");
        AssertCompiles("public partial class @" + name + "\n{\n    [Sequential(2)]\n    [Dense(1)]\n    public partial class Net;\n}\n");
        AssertCompiles("namespace Models.@" + name + ";\n\n[Sequential(2)]\n[Dense(1)]\npublic partial class Net;\n");
    }

    private static void AssertCompiles(string source)
    {
        HarnessResult result = GeneratorHarness.Run("using NetGen;\n\n" + source);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
        Assert.True(result.OutputDiagnostics.IsEmpty, source + "\n" + string.Join("\n", result.OutputDiagnostics));
    }
}
