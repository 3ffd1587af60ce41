using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.IO;

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
        SafetensorsHeader header;
        try
        {
            header = SafetensorsHeader.Parse(bytes);
        }
        catch (SafetensorsFormatException e)
        {
            return Refused(request, DiagnosticIds.WeightsFileNotSafetensors, e.Message);
        }

        if (LayoutProblem(header) is { } layout)
        {
            return Refused(request, DiagnosticIds.WeightsLayoutMismatch, layout);
        }

        if (SafetensorsMatch.Problem(header, request.Tensors.Select(t => new SafetensorsExpected(t.Name, t.Shape, t.Length)).ToList(), request.ClassName) is { } mismatch)
        {
            return Refused(request, DiagnosticIds.WeightsTensorMismatch, mismatch);
        }

        // In buffer order: the tensors' bytes as the file holds them (little-endian float32, as the runtime reads them).
        byte[] parameters = new byte[4L * request.ParameterCount > int.MaxValue ? 0 : 4 * request.ParameterCount];
        foreach (ExpectedTensor tensor in request.Tensors)
        {
            header.TryGetEntry(tensor.Name, out SafetensorsEntry entry);
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
    private static string? LayoutProblem(SafetensorsHeader header) => SafetensorsLayouts.Declared(header.Metadata, out string evidence) switch
    {
        SafetensorsLayout.PyTorch => $"its metadata says {evidence}, PyTorch's layout (Linear weights as [out, in]), but compiled-in weights are in Keras's layout (Dense kernels as [in, out]): save them with model.SaveWeights(path)",
        SafetensorsLayout.Unknown => SafetensorsLayouts.UnknownProblem(evidence),
        _ => null,
    };

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
}
