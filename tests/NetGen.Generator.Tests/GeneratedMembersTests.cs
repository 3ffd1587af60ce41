using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Tests.TestHelpers;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Tests;

/// <summary>
/// The validator refuses a model whose names would collide in the generated code by comparing them with
/// <see cref="GeneratedMembers"/>. That only works if the list is complete: this reads every member the emitter
/// declares, for a model with every kind of layer, and checks the list names exactly those.
/// </summary>
public sealed class GeneratedMembersTests
{
    [Fact]
    public void Every_member_the_emitter_declares_is_listed()
    {
        const string Source = """
            using NetGen;

            [Sequential(4, 3, Loss = Loss.SparseCategoricalCrossEntropy)]
            [Flatten]
            [Normalization(Name = "norm")]
            [Dense(8, Activation.ReLU, Name = "hidden")]
            [Dropout(0.5)]
            [Dense(6, Name = "linear")]
            [Dropout(0, Name = "off")]
            [Dense(4, Activation.Tanh)]
            [Dense(3, Activation.Softmax, Name = "output")]
            public partial class Net;
            """;
        HarnessResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.OutputDiagnostics);

        INamedTypeSymbol type = result.Input.GetTypeByMetadataName("Net")!;
        NetworkSpec spec = NetworkValidator.Validate(NetworkParser.Parse(type, result.Input, CancellationToken.None)).Spec!;
        var expected = new SortedSet<string>(GeneratedMembers.Fixed, StringComparer.Ordinal) { "Net" };
        foreach (LayerSpec layer in spec.Layers)
        {
            expected.UnionWith(GeneratedMembers.OfLayer(layer));
        }

        var declared = new SortedSet<string>(StringComparer.Ordinal);
        foreach (GeneratedFile file in result.GeneratedSources)
        {
            TypeDeclarationSyntax model = CSharpSyntaxTree.ParseText(file.Text).GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().Last();
            foreach (MemberDeclarationSyntax member in model.Members)
            {
                declared.UnionWith(member switch
                {
                    BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
                    PropertyDeclarationSyntax property => [property.Identifier.ValueText],
                    MethodDeclarationSyntax method => [method.Identifier.ValueText],
                    ConstructorDeclarationSyntax constructor => [constructor.Identifier.ValueText],
                    _ => throw new InvalidOperationException("A generated member of an unexpected kind: " + member.Kind()),
                });
            }
        }

        Assert.Equal(expected, declared);
    }
}
