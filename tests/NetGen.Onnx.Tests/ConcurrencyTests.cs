using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NetGen.Optimizers;
using NetGen.Training;
using Onnx;
using Samples.Xor;

namespace NetGen.Onnx.Tests;

/// <summary>Exports during training: from a callback on the training thread, and from another thread while Fit runs.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private static readonly float[,] X = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly float[] Y = [0, 1, 1, 0];

    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-onnx-threads-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_callback_exports_each_epochs_weights_during_fit()
    {
        var model = new XorNet(7);
        model.Compile(new Adam(0.05f));
        var exports = new List<(byte[] Onnx, float[] Parameters)>();
        model.Fit(X, Y, epochs: 3, batchSize: 4, seed: 7, verbose: 0,
            callbacks: [new LambdaCallback((m, _) => exports.Add((OnnxExporter.ToBytes(m), m.Parameters.ToArray())))]);

        Assert.Equal(3, exports.Count);
        Assert.NotEqual(exports[0].Parameters, exports[2].Parameters);
        foreach ((byte[] onnx, float[] parameters) in exports)
        {
            Assert.Equal(parameters, Weights(onnx, model.Info));
        }
    }

    [Fact]
    public async Task An_export_from_another_thread_during_fit_is_refused_or_a_consistent_snapshot_never_a_torn_one()
    {
        var model = new XorNet(7);
        model.Compile(new Adam(0.05f));
        string path = Path.Combine(_folder, "during-fit.onnx");
        using var paused = new ManualResetEventSlim();
        using var exported = new ManualResetEventSlim();
        float[]? atPause = null;
        var callback = new LambdaCallback((m, logs) =>
        {
            if (logs.Epoch == 1)
            {
                atPause = m.Parameters.ToArray();
                paused.Set();
                exported.Wait(TimeSpan.FromSeconds(10)); // Fit stands still here while the other thread exports
            }
        });

        Task fit = Task.Run(() => model.Fit(X, Y, epochs: 4, batchSize: 4, seed: 7, verbose: 0, callbacks: [callback]));
        Assert.True(paused.Wait(TimeSpan.FromSeconds(30)), "Fit never reached its second epoch's end");
        Exception? refused = null;
        try
        {
            model.ExportOnnx(path);
        }
        catch (InvalidOperationException e)
        {
            refused = e;
        }
        finally
        {
            exported.Set();
        }

        await fit.WaitAsync(TimeSpan.FromSeconds(30));
        if (refused is not null)
        {
            // The model is Fit's until it returns: the export names the conflict and leaves no file.
            Assert.Contains("another thread", refused.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(_folder));
        }
        else
        {
            Assert.Equal(atPause, Weights(File.ReadAllBytes(path), model.Info));
        }
    }

    /// <summary>The exported initializers laid out as the model's flat parameter buffer.</summary>
    private static float[] Weights(byte[] onnx, NetworkInfo info)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(onnx);
        var parameters = new float[info.ParameterCount];
        foreach (TensorInfo tensor in info.Tensors)
        {
            TensorProto stored = model.Graph.Initializer.Single(t => t.Name == tensor.Name);
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(stored.RawData.Span).CopyTo(parameters.AsSpan(tensor.Offset, tensor.Length));
        }

        return parameters;
    }
}
