using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests.TestHelpers;

/// <summary>A diagnostic a test expects: its id and the exact span it must cover.</summary>
internal readonly record struct ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// The Roslyn testing library's id markup, minus the library: <c>{|NG0101:0|}</c> in a test source says that
/// diagnostic NG0101 must cover exactly the text <c>0</c>. Markers may nest. <see cref="Parse"/> strips them and
/// returns the plain source with the expected spans in it.
/// </summary>
internal static class Markup
{
    private const string Open = "{|";
    private const string Close = "|}";

    public static (string Source, ImmutableArray<ExpectedDiagnostic> Expected) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<ExpectedDiagnostic>();
        int i = 0;
        while (i < markup.Length)
        {
            if (string.CompareOrdinal(markup, i, Open, 0, Open.Length) == 0)
            {
                int colon = markup.IndexOf(':', i + Open.Length);
                string id = colon < 0 ? string.Empty : markup[(i + Open.Length)..colon];
                if (id.Length == 0 || !id.All(char.IsAsciiLetterOrDigit))
                {
                    throw new FormatException("Markup '{|' at offset " + i + " is not followed by a diagnostic id and ':'.");
                }

                open.Push((id, source.Length));
                i = colon + 1;
            }
            else if (string.CompareOrdinal(markup, i, Close, 0, Close.Length) == 0)
            {
                if (open.Count == 0)
                {
                    throw new FormatException("Markup '|}' at offset " + i + " closes nothing.");
                }

                (string id, int start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i += Close.Length;
            }
            else
            {
                source.Append(markup[i++]);
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException("Markup for " + open.Peek().Id + " is never closed with '|}'.");
        }

        return (source.ToString(), [.. expected.OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal)]);
    }
}
