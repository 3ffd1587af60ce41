using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Reads the weights files a build hands the generator. The compiler refuses a binary file among the AdditionalFiles
/// (CS2015: Roslyn's additional files are text, dotnet/roslyn#47292), so NetGen.targets takes each
/// <c>*.safetensors</c> AdditionalFiles item out of the compiler's list and hands over a text copy instead, in
/// obj/: a file named <c>*.netgen-weights</c> whose first line is <see cref="Signature"/>, second line the path as
/// the project names it, and third line the file's bytes in base64.
/// </summary>
internal static class WeightsFileReader
{
    public const string Extension = ".netgen-weights";

    public const string Signature = "NetGen weights 1";

    public static bool IsWeightsFile(AdditionalText text) => text.Path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    public static WeightsFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        SourceText? source = text.GetText(cancellationToken);
        if (source is null)
        {
            return Failed(string.Empty, text.Path, "the compiler could not read it");
        }

        string content = source.ToString();
        int first = content.IndexOf('\n');
        int second = first < 0 ? -1 : content.IndexOf('\n', first + 1);
        if (second < 0 || content.Substring(0, first).TrimEnd('\r') != Signature)
        {
            return Failed(string.Empty, text.Path, "it is not a weights file written by NetGen.targets");
        }

        string name = content.Substring(first + 1, second - first - 1).TrimEnd('\r');
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            byte[] bytes = Convert.FromBase64String(content.Substring(second + 1).Trim());
            return new WeightsFile(name, text.Path, bytes.ToEquatableArray(), null);
        }
        catch (FormatException)
        {
            return Failed(name, text.Path, "its base64 copy in obj/ is damaged: rebuild to write it afresh");
        }
    }

    /// <summary>
    /// Whether <paramref name="file"/> is the one <paramref name="written"/> names: the same path as the project names
    /// it (either slash), or, when <paramref name="written"/> has no folder, the same file name.
    /// </summary>
    public static bool Matches(WeightsFile file, string written)
    {
        string name = Normalize(file.Name);
        string wanted = Normalize(written);
        if (string.Equals(name, wanted, StringComparison.Ordinal))
        {
            return true;
        }

        return wanted.IndexOf('/') < 0 && string.Equals(name.Substring(name.LastIndexOf('/') + 1), wanted, StringComparison.Ordinal);
    }

    private static string Normalize(string path)
    {
        path = path.Replace('\\', '/');
        return path.StartsWith("./", StringComparison.Ordinal) ? path.Substring(2) : path;
    }

    private static WeightsFile Failed(string name, string source, string why) => new(name, source, default, why);
}
