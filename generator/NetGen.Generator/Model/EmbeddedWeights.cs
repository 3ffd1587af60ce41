using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// Where a piece of source is, as plain values: a <see cref="Location"/> would keep its syntax tree (and with it the
/// whole compilation) alive in the pipeline's cache. <see cref="ToLocation"/> rebuilds it for a diagnostic.
/// </summary>
internal sealed record SourceSpan(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    public static SourceSpan Of(Location location)
    {
        FileLinePositionSpan lines = location.GetLineSpan();
        return new SourceSpan(
            location.SourceTree?.FilePath ?? string.Empty,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            lines.StartLinePosition.Line,
            lines.StartLinePosition.Character,
            lines.EndLinePosition.Line,
            lines.EndLinePosition.Character);
    }

    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
}

/// <summary>
/// The <c>Weights = "…"</c> argument of [Sequential]: the weights file as written, and where it is written (the
/// argument's expression), for the diagnostics about that file.
/// </summary>
internal sealed record WeightsArgument(string Path, SourceSpan Location);

/// <summary>One tensor a model's weights file must hold: its name as in the file, its shape, and where it lives in the parameter buffer.</summary>
internal sealed record ExpectedTensor(string Name, EquatableArray<int> Shape, int Offset, int Length);

/// <summary>
/// A model that names a weights file: what the weights step needs of it, and no more, so that it is cached unless
/// the model's name, tensors or <c>Weights</c> argument change. <see cref="Tensors"/> is empty and
/// <see cref="Valid"/> false for a model the validator refused (its own errors come first; its weights are not checked).
/// <see cref="CanCreate"/>: the model can be created by its generated constructor alone (it is neither abstract nor
/// declares constructors of its own), so a static factory is written.
/// </summary>
internal sealed record WeightsRequest(
    string Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContainingType> ContainingTypes,
    WeightsArgument Weights,
    bool Valid,
    bool CanCreate,
    int ParameterCount,
    EquatableArray<ExpectedTensor> Tensors,
    bool WritesLoad = true);

/// <summary>
/// A weights file the build handed over (see NetGen.targets): the path as the project names it, and the file's bytes,
/// or why they could not be read. <see cref="Source"/> is the encoded file the compiler read, for messages.
/// </summary>
internal sealed record WeightsFile(string Name, string Source, EquatableArray<byte> Bytes, string? ReadError);

/// <summary>
/// What the weights step decided for one model: the parameters to compile in (base64 chunks of the little-endian
/// float32 values in parameter-buffer order), or the NG error to report at the <c>Weights</c> argument. A refused
/// file, or an invalid model, still gets its members, with bodies that throw, so the user's calls compile and the
/// build shows only the NG errors.
/// </summary>
internal sealed record WeightsOutcome(
    WeightsRequest Request,
    EquatableArray<string> Chunks,
    string? ErrorId,
    string? ErrorMessage);
