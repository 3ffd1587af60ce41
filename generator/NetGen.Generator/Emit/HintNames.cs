using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Emit;

/// <summary>
/// The stems of the generated files' hint names. A model's stem is its full name without '@' (which hint names
/// cannot hold; <c>Models.@event</c> keeps one before a keyword), so <c>Demo.Net</c> writes <c>Demo.Net.Network.g.cs</c>.
/// Roslyn compares hint names ignoring case, so two models whose full names differ only in case (<c>Demo.Net</c>,
/// <c>Demo.NET</c>) would share their files and make the generator throw: those, and only those, get a stable hash of
/// their exact full name after a '-', a character no C# name contains, so no other stem can take the result.
/// </summary>
internal static class HintNames
{
    /// <summary>The full names, of all the models generated, whose stems are taken by another model up to case; ordinal order.</summary>
    public static EquatableArray<string> Ambiguous(ImmutableArray<string> fullNames)
    {
        var byStem = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in fullNames)
        {
            string stem = Plain(name);
            if (!byStem.TryGetValue(stem, out List<string>? group))
            {
                byStem.Add(stem, group = []);
            }

            group.Add(name);
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

    /// <summary>The stem for a model's files: its full name, plus a hash when <paramref name="ambiguous"/> lists it.</summary>
    public static string Stem(string fullName, EquatableArray<string> ambiguous)
    {
        string stem = Plain(fullName);
        foreach (string name in ambiguous)
        {
            if (string.Equals(name, fullName, StringComparison.Ordinal))
            {
                return stem + "-" + Hash(fullName).ToString("x8", CultureInfo.InvariantCulture);
            }
        }

        return stem;
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
