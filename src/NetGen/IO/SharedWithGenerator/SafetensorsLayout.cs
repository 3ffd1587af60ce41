// Compiled into both the runtime and the generator (see SafetensorsHeader.cs): LoadWeights and the build-time check of
// compiled-in weights read a file's layout from its metadata by the same rule.
using System.Collections.Generic;

namespace NetGen.IO;

/// <summary>The weight layout a safetensors file's metadata declares.</summary>
internal enum SafetensorsLayout
{
    /// <summary>The metadata names no layout: the tensor names decide.</summary>
    Unstated,

    /// <summary>Keras's (NetGen's own): a Dense kernel is <c>[in, out]</c>.</summary>
    Keras,

    /// <summary>PyTorch's: a Linear weight is <c>[out, in]</c>.</summary>
    PyTorch,

    /// <summary>A <c>layout</c> value NetGen does not know.</summary>
    Unknown,
}

/// <summary>Reads <see cref="SafetensorsLayout"/> from a file's <c>__metadata__</c>.</summary>
internal static class SafetensorsLayouts
{
    public const string LayoutKey = "layout";

    public const string FormatKey = "format";

    /// <summary>
    /// The layout <paramref name="metadata"/> declares: its <c>layout</c> (<c>keras</c>, <c>pytorch</c> or unknown)
    /// if it has one, else its <c>format</c>: <c>pt</c> is what PyTorch's tools (safetensors' save_model, transformers)
    /// write, <c>netgen</c> NetGen's Keras layout. <paramref name="evidence"/> quotes the pair that decided, for a message.
    /// </summary>
    public static SafetensorsLayout Declared(IReadOnlyDictionary<string, string> metadata, out string evidence)
    {
        if (metadata.TryGetValue(LayoutKey, out string? layout))
        {
            evidence = $"\"{LayoutKey}\": \"{layout}\"";
            return layout switch
            {
                "keras" => SafetensorsLayout.Keras,
                "pytorch" => SafetensorsLayout.PyTorch,
                _ => SafetensorsLayout.Unknown,
            };
        }

        if (metadata.TryGetValue(FormatKey, out string? format) && format is "pt" or "netgen")
        {
            evidence = $"\"{FormatKey}\": \"{format}\"";
            return format == "pt" ? SafetensorsLayout.PyTorch : SafetensorsLayout.Keras;
        }

        evidence = string.Empty;
        return SafetensorsLayout.Unstated;
    }

    /// <summary>The words for a layout <paramref name="evidence"/> names but NetGen does not know.</summary>
    public static string UnknownProblem(string evidence) =>
        $"its metadata says {evidence}, a layout NetGen does not know (it reads \"keras\" and \"pytorch\")";
}
