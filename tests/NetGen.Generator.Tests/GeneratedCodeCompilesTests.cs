using System;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
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

    /// <summary>
    /// Every kind of layer, activation and loss, in a project on the oldest C# NetGen supports (NG0014 refuses older
    /// ones). Empty buffers were collection expressions ('= []', C# 12): CS8936 on C# 10, CS9058 on C# 11.
    /// </summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void Every_layer_on_every_supported_language_version(LanguageVersion version)
    {
        // Also C# 10: block bodies instead of 'class Net;' and no collection expressions in the attributes.
        const string Source = """
            namespace Models
            {
                [Sequential(4, 3, Loss = Loss.SparseCategoricalCrossEntropy)]
                [Flatten]
                [Normalization(Name = "norm")]
                [Dense(8, Activation.ReLU, Name = "hidden")]
                [Dropout(0.5)]
                [Dense(6, Activation.LeakyReLU, Alpha = 0.1)]
                [Dropout(0, Name = "off")]
                [Dense(4, Activation.Tanh)]
                [Dense(3, Activation.Softmax, Name = "output")]
                public sealed partial class Classifier { }

                [Sequential(2, Loss = Loss.BinaryCrossEntropy)]
                [Dense(4, Activation.Sigmoid)]
                [Dense(1, Activation.Sigmoid)]
                internal partial class Binary { }

                public static partial class Outer
                {
                    [Sequential(4, Loss = Loss.CategoricalCrossEntropy)]
                    [Dense(3, Activation.Softmax)]
                    public partial class OneHot { }

                    [Sequential(4, Loss = Loss.MeanAbsoluteError)]
                    [Normalization]
                    [Dense(2)]
                    public partial class Regressor { }
                }
            }
            """;
        HarnessResult result = GeneratorHarness.Run(version, "using NetGen;\n\n" + Source);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Equal(12, result.GeneratedSources.Length);
        Assert.True(result.OutputDiagnostics.IsEmpty, string.Join("\n", result.OutputDiagnostics));
    }

    /// <summary>
    /// The generated code reads NetGen.Network's members; a member of the model class with the same name hides them
    /// (legal, with 'new') and used to capture the generated views' 'Parameters.Slice' (CS1061 on an int[]).
    /// </summary>
    [Theory]
    [InlineData("public new int[] Parameters = new int[3];")]
    [InlineData("public new string Gradients => \"mine\";")]
    [InlineData("private new readonly object? TrainingRng = \"mine\";\n    public object? Rng => TrainingRng;")]
    [InlineData("public new void InitializeParameters(long? seed) => throw new System.InvalidOperationException();")]
    public void User_members_that_hide_the_base_class_members_the_generated_code_uses(string member)
    {
        AssertCompiles("[Sequential(2)]\n[Normalization]\n[Dense(4, Activation.ReLU)]\n[Dropout(0.5)]\n[Dense(1)]\npublic partial class Net\n{\n    " + member + "\n}\n");
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
