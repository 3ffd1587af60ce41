using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Where the inference pass keeps its activations: one scratch span per call, which the runtime takes from a cache of
/// the calling thread, so that any number of threads can predict with one model at once. It holds the buffers the
/// layers declare for inference (<see cref="BufferSpec.InInference"/>: a Dense layer's z and a, a Normalization's
/// output; Dropout is the identity and keeps none), side by side, each <c>batchSize × length</c> floats.
/// </summary>
internal sealed class InferenceScratch
{
    private readonly Dictionary<string, int> _offsets = new Dictionary<string, int>();

    private InferenceScratch(NetworkSpec spec)
    {
        // A shared buffer (scratch several layers use in turn) takes one place, as long as the longest asks.
        var lengths = new Dictionary<string, int>();
        var order = new List<string>();
        foreach (LayerSpec layer in spec.Layers)
        {
            foreach (BufferSpec buffer in layer.Buffers)
            {
                // Per-sample float buffers only (a fixed-size one would need a place of its own).
                if (buffer.InInference && buffer.PerSample && !buffer.IsInt)
                {
                    if (!lengths.TryGetValue(buffer.Field, out int length))
                    {
                        order.Add(buffer.Field);
                    }

                    lengths[buffer.Field] = System.Math.Max(length, buffer.Length);
                }
            }
        }

        foreach (string field in order)
        {
            _offsets[field] = FloatsPerSample;
            FloatsPerSample += lengths[field];
        }
    }

    /// <summary>Floats of scratch one sample needs.</summary>
    public int FloatsPerSample { get; }

    public static InferenceScratch For(NetworkSpec spec) => new InferenceScratch(spec);

    /// <summary>The span of scratch that stands for training buffer <paramref name="field"/>, <paramref name="length"/> floats.</summary>
    public string Slice(string field, string length)
    {
        int offset = _offsets[field];
        return "scratch.Slice(" + (offset == 0 ? "0" : "batchSize * " + Emitting.Int(offset)) + ", " + length + ")";
    }
}
