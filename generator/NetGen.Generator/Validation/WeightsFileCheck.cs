using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Validation;

/// <summary>
/// Checks a model's weights file at build time with the rules <c>LoadWeights</c> applies at run time (Keras's layout:
/// the layout metadata, exactly the model's tensors as F32 with its shapes, data offsets that tile the data section,
/// finite values), and turns an accepted file into the data to compile in: the float32 values in parameter-buffer
/// order, as base64 chunks of <see cref="ChunkBytes"/> bytes each.
/// </summary>
internal static class WeightsFileCheck
{
    /// <summary>
    /// Bytes per chunk: a multiple of 3, so each chunk is whole base64 with no padding and decodes on its own. Roslyn
    /// compiles many 64 KiB UTF-8 literals in a fraction of the time and memory one huge literal takes.
    /// </summary>
    public const int ChunkBytes = 48 * 1024;

    // Names listed in a message before the rest are summarized as a count, as at run time.
    private const int MaxListedNames = 12;

    /// <summary>What the weights step needs of a declaration that names a weights file; null for one that names none.</summary>
    public static WeightsRequest? Request(NetworkDeclaration? declaration)
    {
        if (declaration?.Weights is not { } weights)
        {
            return null;
        }

        // A refused model gets the weights members only where it gets a stub: where nothing can be written beside the
        // user's declaration (not partial, generic...), nothing is.
        (List<Finding> findings, NetworkSpec? spec) = NetworkValidator.Validate(declaration);
        if (spec is null && NetworkStubs.Build(declaration, findings) is null)
        {
            return null;
        }

        // A user member of a generated name refuses the model (NG0016); the refused model's throwing stand-ins then leave that
        // name to the user's member, so the NG error stays the build's only one. (A valid model's user overloads are legal.)
        bool Declared(string name) => spec is null && declaration.UserMembers.Any(m => m == name || m.StartsWith(name + "(", System.StringComparison.Ordinal));
        return new WeightsRequest(
            declaration.Namespace,
            declaration.ClassName,
            declaration.FullName,
            declaration.ContainingTypes,
            weights,
            spec is not null,
            spec is { IsAbstract: false, HasUserConstructors: false } && !Declared("FromEmbeddedWeights"),
            spec?.ParameterCount ?? 0,
            spec is null ? default : ExpectedTensors.Of(spec),
            !Declared("LoadEmbeddedWeights"));
    }

    public static WeightsOutcome Check(WeightsRequest request, ImmutableArray<WeightsFile> files)
    {
        string path = request.Weights.Path;
        if (!request.Valid)
        {
            return Refused(request, null, null); // the model's own errors come first
        }

        List<WeightsFile> matches = files.Where(f => WeightsFileReader.Matches(f, path)).ToList();
        if (matches.Count == 0)
        {
            return Refused(request, DiagnosticIds.WeightsFileNotFound,
                $"it is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"{path}\" /> to the project file (and import NetGen.targets if NetGen is not a package reference)");
        }

        if (matches.Count > 1)
        {
            return Refused(request, DiagnosticIds.WeightsFileNotFound,
                $"several AdditionalFiles have that name ({string.Join(", ", matches.Select(m => m.Name))}): write the path as the project names it");
        }

        WeightsFile file = matches[0];
        if (file.ReadError is not null)
        {
            return Refused(request, DiagnosticIds.WeightsFileNotSafetensors, file.ReadError);
        }

        byte[] bytes = file.Bytes.AsSpan().ToArray();
        SafetensorsHeader? header = SafetensorsHeader.Parse(bytes, out string problem);
        if (header is null)
        {
            return Refused(request, DiagnosticIds.WeightsFileNotSafetensors, problem);
        }

        if (LayoutProblem(header) is { } layout)
        {
            return Refused(request, DiagnosticIds.WeightsLayoutMismatch, layout);
        }

        if (Match(header, request) is { } mismatch)
        {
            return Refused(request, DiagnosticIds.WeightsTensorMismatch, mismatch);
        }

        // In buffer order: the tensors' bytes as the file holds them (little-endian float32, as the runtime reads them).
        byte[] parameters = new byte[4L * request.ParameterCount > int.MaxValue ? 0 : 4 * request.ParameterCount];
        foreach (ExpectedTensor tensor in request.Tensors)
        {
            SafetensorsEntry entry = header.Entries.First(e => e.Name == tensor.Name);
            Array.Copy(bytes, header.DataStart + (long)entry.Begin, parameters, 4L * tensor.Offset, 4L * tensor.Length);
        }

        if (NonFinite(parameters, request) is { } notFinite)
        {
            return Refused(request, DiagnosticIds.WeightsNotFinite, notFinite);
        }

        var chunks = new List<string>((parameters.Length / ChunkBytes) + 1);
        for (int done = 0; done < parameters.Length; done += ChunkBytes)
        {
            chunks.Add(Convert.ToBase64String(parameters, done, Math.Min(ChunkBytes, parameters.Length - done)));
        }

        return new WeightsOutcome(request, chunks.ToEquatableArray(), null, null);
    }

    private static WeightsOutcome Refused(WeightsRequest request, string? id, string? message) =>
        new(request, default, id, message);

    /// <summary>LoadWeights's layout check: a file whose metadata names PyTorch's layout (or one NetGen does not know) is refused.</summary>
    private static string? LayoutProblem(SafetensorsHeader header)
    {
        if (header.Metadata.TryGetValue("layout", out string? layout))
        {
            return layout switch
            {
                "keras" => null,
                "pytorch" => "its metadata says \"layout\": \"pytorch\" (Linear weights as [out, in]), but compiled-in weights are in Keras's layout (Dense kernels as [in, out]): save them with model.SaveWeights(path)",
                _ => $"its metadata says \"layout\": \"{layout}\", a layout NetGen does not know (it reads \"keras\" and \"pytorch\")",
            };
        }

        return header.Metadata.TryGetValue("format", out string? format) && format == "pt"
            ? "its metadata says \"format\": \"pt\", PyTorch's layout (Linear weights as [out, in]), but compiled-in weights are in Keras's layout (Dense kernels as [in, out]): save them with model.SaveWeights(path)"
            : null;
    }

    /// <summary>The runtime's match: exactly the expected names, each F32 with the model's shape and a data range of the right size inside the data section, the ranges tiling it.</summary>
    private static string? Match(SafetensorsHeader header, WeightsRequest request)
    {
        var byName = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in header.Entries)
        {
            byName[entry.Name] = entry;
        }

        var expected = new HashSet<string>(request.Tensors.Select(t => t.Name), StringComparer.Ordinal);
        List<string> missing = request.Tensors.Where(t => !byName.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        List<string> unexpected = header.Entries.Where(e => !expected.Contains(e.Name)).Select(e => e.Name).ToList();
        string owner = request.ClassName;
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var message = new StringBuilder($"the file holds tensors {List(header.Entries.Select(e => e.Name).ToList())}; {owner} expects {List(request.Tensors.Select(t => t.Name).ToList())}");
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
        foreach (ExpectedTensor tensor in request.Tensors)
        {
            SafetensorsEntry entry = byName[tensor.Name];
            if (entry.DType != "F32")
            {
                problems.Add($"{tensor.Name} has dtype {entry.DType} in the file, but {owner} holds F32 (float32) parameters");
                continue;
            }

            if (!entry.Shape.SequenceEqual(tensor.Shape.Select(d => (long)d)))
            {
                problems.Add($"{tensor.Name} has shape {Shape(entry.Shape)} in the file but {Shape(tensor.Shape.Select(d => (long)d))} in {owner}");
                continue;
            }

            ulong needed = 4UL * (ulong)tensor.Length;
            if (entry.Begin > entry.End)
            {
                problems.Add($"{tensor.Name} has data_offsets [{entry.Begin}, {entry.End}], which run backwards");
            }
            else if (entry.End - entry.Begin != needed)
            {
                problems.Add($"{tensor.Name} has data_offsets [{entry.Begin}, {entry.End}] spanning {entry.End - entry.Begin} bytes, but F32 shape {Shape(entry.Shape)} takes {needed}");
            }
            else if (entry.End > (ulong)header.DataLength)
            {
                problems.Add($"{tensor.Name} has data_offsets [{entry.Begin}, {entry.End}] but the data section holds only {header.DataLength} bytes: the file is truncated or its header is corrupt");
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

    /// <summary>The first NaN or infinity, named by tensor and element as the runtime names it; null if all are finite.</summary>
    private static string? NonFinite(byte[] parameters, WeightsRequest request)
    {
        for (int i = 0; i < parameters.Length; i += 4)
        {
            int bits = parameters[i] | (parameters[i + 1] << 8) | (parameters[i + 2] << 16) | (parameters[i + 3] << 24);
            if ((bits & 0x7F800000) != 0x7F800000)
            {
                continue;
            }

            int index = i / 4;
            string value = (bits & 0x007FFFFF) != 0 ? "NaN" : bits < 0 ? "-Infinity" : "Infinity";
            ExpectedTensor tensor = request.Tensors.First(t => index >= t.Offset && index < t.Offset + t.Length);
            return $"it holds {value} in tensor {tensor.Name}, element {(index - tensor.Offset).ToString(CultureInfo.InvariantCulture)}: weights must be finite numbers";
        }

        return null;
    }

    private static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string List(List<string> names) =>
        names.Count == 0 ? "none"
        : names.Count <= MaxListedNames ? string.Join(", ", names)
        : string.Join(", ", names.Take(MaxListedNames)) + $", … ({names.Count - MaxListedNames} more)";
}
