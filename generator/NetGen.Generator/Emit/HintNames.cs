using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The stems of the generated files' hint names. A model's stem is its full name without '@' (which hint names
/// cannot hold; <c>Models.@event</c> keeps one before a keyword), so <c>Demo.Net</c> writes <c>Demo.Net.Network.g.cs</c>.
/// Roslyn compares hint names ignoring case, so two models whose full names differ only in case (<c>Demo.Net</c>,
/// <c>Demo.NET</c>) would share their files and make the generator throw: those, and only those, get a stable hash of
/// their identity after a '-', a character no C# name contains, so no other stem can take the result. The identity
/// also tells a class nested in a type from one in a namespace of the same dotted name (<c>A.B.C</c> both ways).
/// </summary>
internal static class HintNames
{
    /// <summary>What names one model among all others: namespace, containing types and class name, each kept apart.</summary>
    public static string Identity(NetworkSpec spec) => Identity(spec.Namespace, spec.ContainingTypes, spec.ClassName);

    /// <summary>As <see cref="Identity(NetworkSpec)"/>, from the parts a spec and a stub share.</summary>
    public static string Identity(string ns, EquatableArray<ContainingType> containingTypes, string className)
    {
        var text = new System.Text.StringBuilder(ns).Append('|');
        foreach (ContainingType type in containingTypes)
        {
            text.Append(type.Name).Append('+');
        }

        return text.Append('|').Append(className).ToString();
    }

    /// <summary>
    /// Of all the models generated (full name and identity each), the identities whose stems another model takes up to
    /// case, in ordinal order. An identity listed twice belongs to two models the compiler already reports as
    /// duplicates (CS0101); those get no files at all (see <see cref="Stem"/>).
    /// </summary>
    public static EquatableArray<string> Ambiguous(ImmutableArray<(string FullName, string Identity)> models)
    {
        var byStem = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach ((string fullName, string identity) in models)
        {
            string stem = Plain(fullName);
            if (!byStem.TryGetValue(stem, out List<string>? group))
            {
                byStem.Add(stem, group = []);
            }

            group.Add(identity);
        }

        var ambiguous = new List<string>();
        foreach (List<string> group in byStem.Values)
        {
            if (group.Count > 1)
            {
                ambiguous.AddRange(group);
            }
        }

        ambiguous.Sort(StringComparer.Ordinal);
        return ambiguous.ToEquatableArray();
    }

    /// <summary>
    /// The stem for a model's files: its full name, plus a hash of its identity when <paramref name="ambiguous"/> lists
    /// it; null when it lists that identity twice (two declarations of one type: nothing can be generated for either).
    /// </summary>
    public static string? Stem(NetworkSpec spec, EquatableArray<string> ambiguous) => Stem(spec.FullName, Identity(spec), ambiguous);

    /// <summary>As <see cref="Stem(NetworkSpec, EquatableArray{string})"/>, for a model's full name and <see cref="Identity(string, EquatableArray{ContainingType}, string)"/>.</summary>
    public static string? Stem(string fullName, string identity, EquatableArray<string> ambiguous)
    {
        int listed = 0;
        foreach (string name in ambiguous)
        {
            if (string.Equals(name, identity, StringComparison.Ordinal))
            {
                listed++;
            }
        }

        return listed switch
        {
            0 => Plain(fullName),
            1 => Plain(fullName) + "-" + Hash(identity).ToString("x8", CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static string Plain(string fullName) => fullName.Replace("@", string.Empty);

    /// <summary>32-bit FNV-1a over the UTF-16 code units: the same on every machine and run, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }
}
