using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>Runs a model's ONNX export in ONNX Runtime and holds its outputs against NetGen's own.</summary>
internal static class OrtCheck
{
    /// <summary>
    /// The agreement required: 1e-5, relative to the value where it is larger than 1 (a regression output of 150 has
    /// float steps of 1.5e-5 alone). The products sum in another order in ONNX Runtime, so bits may differ.
    /// </summary>
    public const float Tolerance = 1e-5f;

    /// <summary>How many rows also go through one at a time (batch size 1), besides the whole batch.</summary>
    private const int SingleRows = 8;

    /// <summary>
    /// Exports <paramref name="model"/>, runs its first <paramref name="rows"/> samples of <paramref name="inputs"/>
    /// in ONNX Runtime as one batch and the first few one by one, and requires every output to match
    /// <c>PredictBatch</c> and <c>Predict</c> within <see cref="Tolerance"/>.
    /// </summary>
    public static void AssertMatches(Network model, ReadOnlySpan<float> inputs, int rows, ITestOutputHelper output)
    {
        NetworkInfo info = model.Info;
        float[] x = inputs[..(rows * info.InputSize)].ToArray();
        var expected = new float[rows * info.OutputSize];
        model.PredictBatch(x, expected);

        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        float worst = Compare(expected, Run(session, x, rows, info), info, $"batch of {rows}");
        for (int r = 0; r < Math.Min(rows, SingleRows); r++)
        {
            ReadOnlySpan<float> sample = x.AsSpan(r * info.InputSize, info.InputSize);
            float[] one = model.Predict(sample);
            worst = Math.Max(worst, Compare(one, Run(session, sample.ToArray(), 1, info), info, $"sample {r} alone"));
        }

        output.WriteLine($"{info.Name}: {rows} samples, largest difference from ONNX Runtime {worst:E2}");
        Assert.True(expected.Any(v => v != 0), "every NetGen output is 0: the comparison would prove nothing");
    }

    /// <summary>One ONNX Runtime call on <paramref name="rows"/> samples, through OrtValues over the managed arrays.</summary>
    public static float[] Run(InferenceSession session, float[] inputs, int rows, NetworkInfo info, string inputName = "input", string outputName = "output")
    {
        long[] shape = [rows, .. info.InputShape.Select(d => (long)d)];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [inputName], [input], [outputName]);
        Assert.Equal([rows, info.OutputSize], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float Compare(IReadOnlyList<float> expected, IReadOnlyList<float> actual, NetworkInfo info, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        float worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            float e = expected[i], a = actual[i], diff = MathF.Abs(a - e);
            Assert.True(float.IsFinite(e), $"{info.Name} {what}: NetGen output {i} is {e}");
            Assert.True(diff <= Tolerance * MathF.Max(1f, MathF.Abs(e)),
                $"{info.Name} {what}: output {i / info.OutputSize},{i % info.OutputSize} is {a} in ONNX Runtime and {e} in NetGen (difference {diff:E2})");
            worst = MathF.Max(worst, diff);
        }

        return worst;
    }
}
