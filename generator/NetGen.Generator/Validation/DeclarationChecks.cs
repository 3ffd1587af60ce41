using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>The checks on the model's class itself: how it is declared (partial, not generic, no base class…) and its [Sequential].</summary>
internal static class DeclarationChecks
{
    /// <summary>Reports what is wrong with the declaration; returns whether the class name clashes with a generated member.</summary>
    public static bool Check(NetworkDeclaration model, List<Finding> findings)
    {
        int seq = model.SequentialAttributeIndex;
        if (!model.IsPartial)
        {
            findings.Add(Error(DiagnosticIds.NotPartial, Finding.OnClass, null, model.ClassName));
        }

        foreach (ContainingType outer in model.ContainingTypes)
        {
            if (!outer.IsPartial)
            {
                findings.Add(Error(DiagnosticIds.ContainingTypeNotPartial, Finding.OnClass, null, model.ClassName, outer.Name));
            }
        }

        if (model.IsGeneric)
        {
            findings.Add(Error(DiagnosticIds.GenericModel, Finding.OnClass, null, model.ClassName));
        }

        if (model.IsStatic)
        {
            findings.Add(Error(DiagnosticIds.StaticModel, Finding.OnClass, null, model.ClassName));
        }

        bool classClash = System.Array.IndexOf(GeneratedMembers.Fixed, model.ClassName) >= 0;
        if (classClash)
        {
            findings.Add(Error(DiagnosticIds.ClassNameClash, Finding.OnClass, null, model.ClassName));
        }

        // Compiled-in weights are emitted as UTF-8 string literals, which C# 11 introduced.
        LanguageVersion minimum = model.Weights is null ? NetworkValidator.MinimumLanguageVersion : LanguageVersion.CSharp11;
        if (model.LanguageVersion < (int)minimum)
        {
            findings.Add(Error(DiagnosticIds.LanguageVersionTooOld, Finding.OnClass, null, model.ClassName,
                ((LanguageVersion)model.LanguageVersion).ToDisplayString(), minimum.ToDisplayString()));
        }

        if (model.IsRecord)
        {
            findings.Add(Error(DiagnosticIds.RecordModel, Finding.OnClass, null, model.ClassName));
        }

        // A file-local type cannot span files: the generated part would declare another type of the same name, and the
        // model's code would silently land on it. A containing type is as much a problem as the model itself.
        if (model.IsFileLocal)
        {
            findings.Add(Error(DiagnosticIds.FileLocalModel, Finding.OnClass, null, model.ClassName, "is declared 'file'"));
        }
        else
        {
            foreach (ContainingType outer in model.ContainingTypes)
            {
                if (outer.IsFileLocal)
                {
                    findings.Add(Error(DiagnosticIds.FileLocalModel, Finding.OnClass, null, model.ClassName, "is nested in '" + outer.Name + "', which is declared 'file'"));
                }
            }
        }

        // The generated constructor passes the layout to NetGen.Network's; with a primary constructor it would have to
        // call this(...) instead (CS8862), and the primary one would call a base constructor that does not exist (CS7036).
        if (model.HasPrimaryConstructor)
        {
            findings.Add(Error(DiagnosticIds.PrimaryConstructor, Finding.OnParameterList, null, model.ClassName));
        }

        if (model.BaseTypeName is not null)
        {
            findings.Add(Error(DiagnosticIds.HasBaseClass, Finding.OnClass, null, model.ClassName, model.BaseTypeName));
        }

        if (seq >= 0 && model.Loss is < LossKind.MeanSquaredError or > LossKind.SparseCategoricalCrossEntropy)
        {
            findings.Add(Error(DiagnosticIds.UnknownLoss, seq, "Loss", Num((int)model.Loss)));
        }

        if (seq >= 0 && model.Layers.Count == 0)
        {
            findings.Add(Error(DiagnosticIds.NoLayers, seq, null, model.ClassName));
        }

        return classClash;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Finding Error(string id, int attributeIndex, string? argument, params string[] args) => new(id, attributeIndex, argument, 0, new EquatableArray<string>(args));
}
