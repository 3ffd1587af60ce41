using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests.TestHelpers;

/// <summary>A weights file as the build hands it to the generator: NetGen.targets's text copy of a safetensors file.</summary>
internal sealed class WeightsText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, Encoding.UTF8);

    /// <summary>The copy NetGen.targets writes for <paramref name="name"/> (as the project names it) holding <paramref name="file"/>.</summary>
    public static WeightsText For(string name, byte[] file) =>
        new("obj/netgen/" + name.Replace('/', '_') + ".netgen-weights", "NetGen weights 1\n" + name + "\n" + Convert.ToBase64String(file) + "\n");
}

/// <summary>Writes safetensors files for tests: float32 tensors in the order given, with optional metadata.</summary>
internal static class Safetensors
{
    public static byte[] Write(IEnumerable<(string Name, int[] Shape, float[] Values)> tensors, IReadOnlyDictionary<string, string>? metadata = null, string dtype = "F32")
    {
        var header = new StringBuilder("{");
        var data = new List<byte>();
        foreach ((string name, int[] shape, float[] values) in tensors)
        {
            int begin = data.Count;
            foreach (float v in values)
            {
                data.AddRange(BitConverter.GetBytes(v));
            }

            header.Append(CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Count}]}},");
        }

        header.Append("\"__metadata__\":{");
        header.Append(string.Join(",", (metadata ?? new Dictionary<string, string> { ["format"] = "netgen" }).Select(p => $"\"{p.Key}\":\"{p.Value}\"")));
        header.Append("}}");
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data];
    }

    /// <summary>Values 0.5, 1.5, 2.5… offset by <paramref name="start"/>, so every tensor's are distinct.</summary>
    public static float[] Values(int count, float start) => [.. Enumerable.Range(0, count).Select(i => start + i + 0.5f)];

    public static ImmutableArray<AdditionalText> Texts(params WeightsText[] texts) => [.. texts];
}
