using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// The names: each layer's (given, or Keras's default) must be a valid, unique C# identifier stem, and every member the
/// model declares (generated, from the layers' declarations, and the user's own) must be unique.
/// </summary>
internal static class NameChecks
{
    /// <summary>Checks the names; returns the layers' names and identifiers, and whether the class name clashes.</summary>
    public static (string[] Names, string[] Identifiers) Check(NetworkDeclaration model, List<Finding> findings, ref bool classClash)
    {
        // Names: Keras's defaults (dense, dense_1, …), then uniqueness of both the name and its C# identifier, then of
        // every member the emitter names after the layer, against the class name, the members every model has, and the
        // other layers' members.
        string[] names = LayerNames(model.Layers);
        string[] identifiers = new string[names.Length];
        var seen = new Dictionary<string, int>();
        var members = new Dictionary<string, int>();
        for (int i = 0; i < names.Length; i++)
        {
            LayerDeclaration layer = model.Layers[i];
            string? nameArgument = layer.Name is null ? null : "Name";
            if (layer.Name is not null && !IsValidName(layer.Name))
            {
                findings.Add(Error(DiagnosticIds.InvalidLayerName, layer.AttributeIndex, nameArgument, layer.Name, NotAnIdentifier));
                identifiers[i] = "Layer" + i.ToString(CultureInfo.InvariantCulture);
                continue;
            }

            identifiers[i] = ToIdentifier(names[i]);
            string[] layerMembers = [.. GeneratedMembers.OfLayer(layer, identifiers[i])];
            if (!classClash && (System.Array.IndexOf(layerMembers, model.ClassName) >= 0
                || System.Linq.Enumerable.Contains(GeneratedMembers.SharedOfLayer(layer, identifiers[i]), model.ClassName)))
            {
                findings.Add(Error(DiagnosticIds.ClassNameClash, Finding.OnClass, null, model.ClassName));
                classClash = true;
            }

            if (seen.TryGetValue(identifiers[i], out int first))
            {
                findings.Add(Error(DiagnosticIds.DuplicateLayerName, layer.AttributeIndex, nameArgument,
                    names[i], Ordinal(first), Ordinal(i), names[first]));
                continue;
            }

            seen.Add(identifiers[i], i);
            foreach (string member in layerMembers)
            {
                if (System.Array.IndexOf(GeneratedMembers.Fixed, member) >= 0)
                {
                    findings.Add(Error(DiagnosticIds.InvalidLayerName, layer.AttributeIndex, nameArgument, names[i],
                        "its generated member '" + member + "' would clash with the model's own '" + member + "': choose another name"));
                    break;
                }

                if (members.TryGetValue(member, out int other))
                {
                    findings.Add(Error(DiagnosticIds.DuplicateLayerName, layer.AttributeIndex, nameArgument,
                        names[i], Ordinal(other), Ordinal(i), names[other]));
                    break;
                }

                members.Add(member, i);
            }
        }

        return (names, identifiers);
    }

    /// <summary>NG0010's reason for a name that cannot become a C# identifier.</summary>
    private const string NotAnIdentifier = "use ASCII letters, digits and '_', starting with a letter";

    /// <summary>
    /// Keras's default names: the first unnamed Dense is "dense", the next "dense_1", and so on per kind; named layers
    /// keep their name and do not advance the count.
    /// </summary>
    public static string[] LayerNames(EquatableArray<LayerDeclaration> layers)
    {
        var names = new string[layers.Count];
        var counts = new Dictionary<LayerKind, int>();
        for (int i = 0; i < names.Length; i++)
        {
            LayerDeclaration layer = layers[i];
            if (layer.Name is not null)
            {
                names[i] = layer.Name;
                continue;
            }

            counts.TryGetValue(layer.Kind, out int n);
            counts[layer.Kind] = n + 1;
            string stem = LayerRegistry.Of(layer.Kind).DefaultNameStem;
            names[i] = n == 0 ? stem : stem + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    /// <summary>"hidden_1" → "Hidden1", the stem of the generated <c>Hidden1Kernel</c> and <c>Hidden1Bias</c> members.</summary>
    public static string ToIdentifier(string name)
    {
        var chars = new System.Text.StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            chars.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return chars.ToString();
    }

    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) && name[0] < 128))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c == '_' || (c < 128 && char.IsLetterOrDigit(c))))
            {
                return false;
            }
        }

        return true;
    }

    private static string Ordinal(int index) => "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Finding Error(string id, int attributeIndex, string? argument, params string[] args) => new(id, attributeIndex, argument, 0, new EquatableArray<string>(args));
}
