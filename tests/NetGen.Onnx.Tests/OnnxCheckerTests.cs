using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Data;
using Samples.Digits;
using Samples.FashionCnn;
using Samples.FashionMnist;
using Samples.Iris;
using Samples.Regression;
using Samples.Xor;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// The ONNX project's own checker (<c>onnx.checker.check_model</c> with full shape inference) accepts every model
/// kind's export. It runs in Debian's <c>/usr/bin/python3</c> with <c>python3-onnx</c> (1.12, opset 17), which
/// .ci/run installs; elsewhere a missing module is noted and the test returns.
/// </summary>
public sealed class OnnxCheckerTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-onnx-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Every_model_kind_passes_onnx_checker_with_shape_inference()
    {
        Network[] models =
        [
            new XorNet(1), Adapted(new Iris2(1), 4), Adapted(new Iris2x2(1), 4), Adapted(new Iris8(1), 4), new DigitsNet(1),
            Adapted(new DiabetesRegressor(1), 10), Adapted(new HousingRegressor(1), 13), new SoftmaxClassifier(1), new MlpClassifier(1),
            Adapted(new EveryLayerNet(1), 4), new TanhOutput(1), new SimpleConvnet(1), new BatchNormConvnet(1), new EveryConvKindNet(1), new PreActivationCnn(1),
        ];
        string[] paths = models.Select(m => Path.Combine(_folder, m.Info.Name + ".onnx")).ToArray();
        for (int i = 0; i < models.Length; i++)
        {
            models[i].ExportOnnx(paths[i]);
        }

        (int exit, string text) = RunPython(
            "import onnx, sys\n" +
            "for path in sys.argv[1:]:\n" +
            "    model = onnx.load(path)\n" +
            "    onnx.checker.check_model(model, full_check=True)\n" +
            "    print('ok', path, 'ir', model.ir_version, 'opset', model.opset_import[0].version, 'onnx', onnx.__version__)\n",
            paths);
        if (exit == -1)
        {
            return;
        }

        output.WriteLine(text);
        Assert.True(exit == 0, $"onnx.checker refused an export:\n{text}");
        Assert.Equal(models.Length, text.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_checker_refuses_a_broken_model_so_its_pass_means_something()
    {
        string path = Path.Combine(_folder, "broken.onnx");
        byte[] bytes = OnnxExporter.ToBytes(new XorNet(1));
        var model = global::Onnx.ModelProto.Parser.ParseFrom(bytes);
        model.Graph.Node[0].Input[1] = "no.such.tensor";
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
        (int exit, string text) = RunPython("import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\n", [path]);
        if (exit != -1)
        {
            Assert.True(exit != 0, "onnx.checker accepted a node reading a tensor nothing defines");
            Assert.Contains("no.such.tensor", text, StringComparison.Ordinal);
        }
    }

    private static Network Adapted(Network model, int features)
    {
        // Statistics of a real-looking spread; the checker looks at the graph, not at the values.
        var x = new float[3, features];
        for (int f = 0; f < features; f++)
        {
            x[0, f] = f;
            x[1, f] = 2 * f;
            x[2, f] = 5;
        }

        model.Adapt(x);
        return model;
    }

    /// <summary>Runs a script in Debian's Python; (-1, "") after a note when it lacks the onnx module outside CI.</summary>
    private (int Exit, string Output) RunPython(string script, string[] args)
    {
        if (!File.Exists(Python) || Run(["-c", "import onnx"]).Exit != 0)
        {
            string message = $"{Python} cannot import onnx: apt-get install -y python3-onnx (.ci/run does).";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            output.WriteLine("Not run: " + message);
            return (-1, "");
        }

        return Run(["-c", script, .. args]);
    }

    private static (int Exit, string Output) Run(string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text + error.Result);
    }
}
