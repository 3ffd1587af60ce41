using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Where the inference pass keeps its activations: one scratch span per call, which the runtime takes from a cache of
/// the calling thread, so that any number of threads can predict with one model at once. It holds the buffers of the
/// training pass that inference needs, side by side (a Dense layer's z and a, a Normalization's output; Dropout is the
/// identity and keeps none), each <c>batchSize × width</c> floats.
/// </summary>
internal sealed class InferenceScratch
{
    private readonly Dictionary<string, int> _offsets = new Dictionary<string, int>();

    private InferenceScratch(NetworkSpec spec)
    {
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.Kind is LayerKind.Dense or LayerKind.Normalization)
            {
                foreach (string field in Emitting.BufferFields(layer))
                {
                    _offsets[field] = FloatsPerSample;
                    FloatsPerSample += layer.OutputSize;
                }
            }
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
