// Compiled into both the runtime and the generator (see SafetensorsHeader.cs): LoadWeights and the build-time check of
// compiled-in weights refuse the same files with the same words.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.IO;

/// <summary>A tensor a model expects in a file: its name, its shape, and its element count (the product of the shape).</summary>
internal readonly record struct SafetensorsExpected(string Name, IReadOnlyList<int> Shape, int Length);

/// <summary>
/// Checks a parsed header against the tensors a model expects: exactly those names, each F32 with the model's shape
/// and a data range of the right size inside the data section, the ranges tiling the data section exactly.
/// </summary>
internal static class SafetensorsMatch
{
    // Names listed in a message before the rest are summarized as a count.
    private const int MaxListedNames = 12;

    /// <summary>What is wrong, in words for a message about the file; null if the header holds exactly <paramref name="tensors"/>.</summary>
    /// <param name="header">The file's header.</param>
    /// <param name="tensors">The expected tensors.</param>
    /// <param name="owner">What expects them (the model's name), for the message.</param>
    /// <param name="counters">
    /// Names the file may also hold as 64-bit integer scalars (I64, shape []) to be read past: PyTorch's
    /// <c>num_batches_tracked</c>. Anything else under such a name is refused.
    /// </param>
    public static string? Problem(SafetensorsHeader header, IReadOnlyList<SafetensorsExpected> tensors, string owner, ISet<string>? counters = null)
    {
        var expected = new HashSet<string>(tensors.Select(t => t.Name), StringComparer.Ordinal);
        List<string> missing = tensors.Where(t => !header.TryGetEntry(t.Name, out _)).Select(t => t.Name).ToList();
        List<string> unexpected = header.Entries.Where(e => !expected.Contains(e.Name) && counters?.Contains(e.Name) != true).Select(e => e.Name).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var message = new StringBuilder($"the file holds tensors {List(header.Entries.Select(e => e.Name).ToList())}; {owner} expects {List(tensors.Select(t => t.Name).ToList())}");
            if (missing.Count > 0)
            {
                message.Append(". Missing: ").Append(List(missing));
            }

            if (unexpected.Count > 0)
            {
                message.Append(". Unexpected: ").Append(List(unexpected));
            }

            return message.ToString();
        }

        var problems = new List<string>();
        foreach (SafetensorsExpected t in tensors)
        {
            header.TryGetEntry(t.Name, out SafetensorsEntry e);
            if (e.DType != "F32")
            {
                problems.Add($"{t.Name} has dtype {e.DType} in the file, but {owner} holds F32 (float32) parameters");
                continue;
            }

            if (!SameShape(e.Shape, t.Shape))
            {
                problems.Add($"{t.Name} has shape {Shape(e.Shape)} in the file but {Shape(t.Shape.Select(d => (long)d))} in {owner}");
                continue;
            }

            ulong needed = 4UL * (ulong)t.Length;
            if (e.Begin > e.End)
            {
                problems.Add($"{t.Name} has data_offsets [{e.Begin}, {e.End}], which run backwards");
            }
            else if (e.End - e.Begin != needed)
            {
                problems.Add($"{t.Name} has data_offsets [{e.Begin}, {e.End}] spanning {e.End - e.Begin} bytes, but F32 shape {Shape(e.Shape)} takes {needed}");
            }
            else if (e.End > (ulong)header.DataLength)
            {
                problems.Add($"{t.Name} has data_offsets [{e.Begin}, {e.End}] but the data section holds only {header.DataLength} bytes: the file is truncated or its header is corrupt");
            }
        }

        foreach (SafetensorsEntry e in header.Entries.Where(e => counters?.Contains(e.Name) == true))
        {
            if (e.DType != "I64" || e.Shape.Length != 0 || e.End - e.Begin != 8)
            {
                problems.Add($"{e.Name} has dtype {e.DType}, shape {Shape(e.Shape)} and data_offsets [{e.Begin}, {e.End}] in the file, but a batch counter is an I64 scalar (shape []) of 8 bytes");
            }
        }

        if (problems.Count == 0)
        {
            CheckTiling(header, problems);
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The tensors must cover the data section exactly: no overlaps, no gaps, nothing after the last one.</summary>
    private static void CheckTiling(SafetensorsHeader header, List<string> problems)
    {
        ulong position = 0;
        SafetensorsEntry? previous = null;
        foreach (SafetensorsEntry e in header.Entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (e.Begin < position)
            {
                problems.Add($"{previous!.Name} (data_offsets [{previous.Begin}, {previous.End}]) and {e.Name} (data_offsets [{e.Begin}, {e.End}]) overlap");
            }
            else if (e.Begin > position)
            {
                problems.Add(previous is null
                    ? $"the data section starts with {e.Begin} bytes that belong to no tensor (the first, {e.Name}, begins at {e.Begin}); safetensors data must be contiguous"
                    : $"{e.Begin - position} bytes between {previous.Name} and {e.Name} belong to no tensor; safetensors data must be contiguous");
            }

            if (e.End > position)
            {
                position = e.End;
                previous = e;
            }
        }

        if (problems.Count == 0 && position != (ulong)header.DataLength)
        {
            problems.Add($"the data section holds {header.DataLength} bytes but the tensors end at byte {position}: {(ulong)header.DataLength - position} bytes after them belong to no tensor");
        }
    }

    private static bool SameShape(long[] file, IReadOnlyList<int> model)
    {
        if (file.Length != model.Count)
        {
            return false;
        }

        for (int i = 0; i < file.Length; i++)
        {
            if (file[i] != model[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string List(List<string> names) =>
        names.Count == 0 ? "none"
        : names.Count <= MaxListedNames ? string.Join(", ", names)
        : string.Join(", ", names.Take(MaxListedNames)) + $", … ({names.Count - MaxListedNames} more)";
}
