using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// Decides what is a legal network and infers every shape: the one source of truth shared by the generator
/// (which emits only for a model with no errors) and the analyzer (which reports the findings). Pure: plain
/// data in, plain data out. The whole-model rules are here and in <see cref="DeclarationChecks"/>,
/// <see cref="NameChecks"/> and <see cref="LossChecks"/>; each layer's own checks and shape inference are its
/// descriptor's (see <see cref="LayerChain"/>), and <see cref="ParameterLayout"/> places the tensors.
/// </summary>
internal static class NetworkValidator
{
    /// <summary>Parameter counts above this are refused: 2^28 floats is 1 GiB of weights plus as much again for gradients.</summary>
    public const long MaxParameters = 1L << 28;

    /// <summary>The oldest C# the generated code compiles as: it uses file-scoped namespaces (C# 10) and nullable annotations (C# 8).</summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp10;

    public static (List<Finding> Findings, NetworkSpec? Spec) Validate(NetworkDeclaration model)
    {
        var findings = new List<Finding>();
        int seq = model.SequentialAttributeIndex;
        bool malformed = seq < 0 || model.SequentialMalformed;
        foreach (LayerDeclaration layer in model.Layers)
        {
            malformed |= layer.Malformed;
        }

        bool classClash = DeclarationChecks.Check(model, findings);
        bool shapeKnown = InputShapeChecks(model, findings);
        (string[] names, string[] identifiers) = NameChecks.Check(model, findings, ref classClash);
        UserMemberChecks(model, names, identifiers, findings);
        bool orderKnown = LayerChain.OrderKnown(model, names, findings);
        LayerValidation chain = LayerChain.Walk(model, names, identifiers, shapeKnown && orderKnown, orderKnown, findings);
        LossChecks.Check(model, names, orderKnown, findings);

        bool hasError = malformed || !chain.Complete || !chain.ShapeKnown;
        foreach (Finding f in findings)
        {
            hasError |= !IsWarning(f.Id);
        }

        if (hasError || chain.Specs.Count == 0)
        {
            return (findings, null);
        }

        (int total, int trainable) = ParameterLayout.Assign(chain.Specs);
        return (findings, new NetworkSpec(model.Namespace, model.ClassName, model.FullName, model.ContainingTypes, model.InputShape,
            Clamp(Product(model.InputShape)), model.Loss, chain.Specs.ToEquatableArray(), total, trainable, model.IsAbstract,
            HasUserConstructors(model)));
    }

    /// <summary>Whether the id is one of the warnings, which leave the model valid.</summary>
    public static bool IsWarning(string id) => id is DiagnosticIds.AlphaWithoutLeakyRelu or DiagnosticIds.SoftmaxWithRegressionLoss or DiagnosticIds.UnusedInputRows;

    /// <summary>Keras's default layer names (see <see cref="NameChecks.LayerNames"/>).</summary>
    public static string[] LayerNames(EquatableArray<LayerDeclaration> layers) => NameChecks.LayerNames(layers);

    /// <summary>"hidden_1" → "Hidden1" (see <see cref="NameChecks.ToIdentifier"/>).</summary>
    public static string ToIdentifier(string name) => NameChecks.ToIdentifier(name);

    public static bool IsValidName(string name) => NameChecks.IsValidName(name);

    /// <summary>
    /// Shapes are inferred only from a well-formed [Sequential] with a valid input shape: whether they can be, after
    /// reporting a missing input shape or a dimension that is not positive.
    /// </summary>
    private static bool InputShapeChecks(NetworkDeclaration model, List<Finding> findings)
    {
        int seq = model.SequentialAttributeIndex;
        bool shapeKnown = seq >= 0 && !model.SequentialMalformed;
        if (seq >= 0 && !model.SequentialMalformed && model.InputShape.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.MissingInputShape, seq, "inputShape", 0, new EquatableArray<string>(new[] { model.ClassName })));
            shapeKnown = false;
        }

        for (int i = 0; i < model.InputShape.Count; i++)
        {
            if (model.InputShape[i] <= 0)
            {
                findings.Add(new Finding(DiagnosticIds.NonPositiveInputDimension, seq, "inputShape", i, new EquatableArray<string>(new[] {
                    string.Join(", ", model.InputShape), model.ClassName, (i + 1).ToString(CultureInfo.InvariantCulture), model.InputShape[i].ToString(CultureInfo.InvariantCulture) })));
                shapeKnown = false;
            }
        }

        return shapeKnown;
    }

    /// <summary>The user's own members and constructors, against everything generated.</summary>
    private static void UserMemberChecks(NetworkDeclaration model, string[] names, string[] identifiers, List<Finding> findings)
    {
        // The user's own members, against everything generated: a field, property, event or nested type clashes with any
        // generated name (CS0102), a method with a generated member that is not a method, or with a generated method of
        // the same signature (CS0111); other overloads are legal.
        if (model.UserMembers.Count > 0)
        {
            var generated = new HashSet<string>(GeneratedMembers.Fixed);
            for (int i = 0; i < names.Length; i++)
            {
                generated.UnionWith(GeneratedMembers.OfLayer(model.Layers[i], identifiers[i]));
                generated.UnionWith(GeneratedMembers.SharedOfLayer(model.Layers[i], identifiers[i]));
            }

            generated.ExceptWith(GeneratedMembers.Methods);
            bool embedded = model.Weights is not null;
            foreach (string entry in model.UserMembers)
            {
                int paren = entry.IndexOf('(');
                bool clash = paren < 0
                    ? generated.Contains(entry) || System.Array.IndexOf(GeneratedMembers.Methods, entry) >= 0
                        || (embedded && System.Array.IndexOf(GeneratedMembers.EmbeddedWeightsMethods, entry) >= 0)
                    : generated.Contains(entry.Substring(0, paren)) || System.Array.IndexOf(GeneratedMembers.MethodSignatures, entry) >= 0
                        || (embedded && System.Array.IndexOf(GeneratedMembers.EmbeddedWeightsSignatures, entry) >= 0);
                if (clash)
                {
                    string shown = entry.StartsWith(".ctor(", System.StringComparison.Ordinal) ? model.ClassName + entry.Substring(5) : entry;
                    findings.Add(new Finding(DiagnosticIds.MemberClash, Finding.OnMember, entry, 0, new EquatableArray<string>(new[] { model.ClassName, shown.Replace("global::", string.Empty) })));
                }
            }
        }

        // A constructor of the user's own must run the generated one (through this(...)): calling NetGen.Network's,
        // implicitly or by base(...), would leave the layers unset. One of the generated signature is NG0016's already.
        foreach (string entry in model.UnchainedConstructors)
        {
            if (System.Array.IndexOf(GeneratedMembers.MethodSignatures, entry) < 0)
            {
                findings.Add(new Finding(DiagnosticIds.ConstructorNotChained, Finding.OnMember, entry, 0, new EquatableArray<string>(new[] {
                    model.ClassName + entry.Substring(5).Replace("global::", string.Empty), model.ClassName })));
            }
        }
    }

    private static long Product(IReadOnlyList<int> shape)
    {
        long p = 1;
        foreach (int d in shape)
        {
            p = Layers.LayerDeclarations.Multiply(p, d);
        }

        return p;
    }

    private static int Clamp(long size) => size > int.MaxValue ? int.MaxValue : (int)size;

    /// <summary>Whether the user wrote constructors of their own, which a copy made by the generated constructor would skip.</summary>
    private static bool HasUserConstructors(NetworkDeclaration model)
    {
        foreach (string member in model.UserMembers)
        {
            if (member.StartsWith(".ctor(", System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
