using System;
using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Buffers.Text;

namespace NetGen;

/// <summary>One chunk of a model's compiled-in weights: base64 UTF-8 over the assembly's data (see <see cref="EmbeddedWeights"/>).</summary>
/// <param name="index">The chunk, from 0.</param>
public delegate ReadOnlySpan<byte> EmbeddedWeightsChunk(int index);

/// <summary>
/// Loads the weights a model compiles in (<c>[Sequential(..., Weights = "model.safetensors")]</c>): the generated
/// <c>LoadEmbeddedWeights()</c> calls this. The build has checked the file against the model, so this only decodes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EmbeddedWeights
{
    /// <summary>
    /// Decodes <paramref name="chunks"/> chunks of base64 (little-endian float32 values in parameter-buffer order) into
    /// <paramref name="model"/>'s parameters, in place, as one weights write.
    /// </summary>
    /// <exception cref="InvalidOperationException">The data does not fill the model's parameters exactly (generated code out of step with the runtime).</exception>
    public static void Load(Network model, int chunks, EmbeddedWeightsChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chunk);
        using Threading.ModelOperation operation = model.BeginOperation();
        model.WriteParameters(parameters =>
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(parameters);
            int written = 0;
            for (int i = 0; i < chunks; i++)
            {
                OperationStatus status = Base64.DecodeFromUtf8(chunk(i), bytes[written..], out _, out int count);
                if (status != OperationStatus.Done)
                {
                    throw Mismatch(model, $"chunk {i} does not decode ({status})");
                }

                written += count;
            }

            if (written != bytes.Length)
            {
                throw Mismatch(model, $"the data holds {written} bytes for {bytes.Length}");
            }

            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(parameters);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
        });
    }

    private static InvalidOperationException Mismatch(Network model, string what) =>
        new($"{model.Info.Name}'s compiled-in weights do not fit it: {what}. Rebuild the project so the generated code and the runtime agree.");
}
