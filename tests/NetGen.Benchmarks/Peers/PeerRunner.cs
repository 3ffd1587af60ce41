using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;

namespace NetGen.Benchmarks.Peers;

/// <summary>How the Python peers get their BLAS (see ../shared/peers/RESULTS.md, "BLAS configurations").</summary>
internal enum PeerBlas
{
    /// <summary>OpenBLAS 0.3.21 (libopenblas0-pthread) forced to its AVX-512 kernels: the fastest peer configuration.</summary>
    OpenBlasSkylakeX,

    /// <summary>Whatever libblas.so.3 points to: with only python3-torch and python3-sklearn installed, the netlib reference BLAS.</summary>
    Reference,
}

/// <summary>Runs the peer scripts of ../shared/peers and the peak-FLOP probe, one at a time, and reads their JSON lines.</summary>
internal sealed class PeerRunner(string python, string peersDirectory, string dataDirectory, PeerBlas blas, Action<string> log)
{
    /// <summary>The folder of the peer scripts (torch_cnn.py and the others).</summary>
    public string PeersDirectory => peersDirectory;

    /// <summary>Where Debian's libopenblas0-pthread puts its libblas.so.3.</summary>
    public const string OpenBlasDirectory = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    public PeerBlas Blas => blas;

    public static bool OpenBlasInstalled() => File.Exists(Path.Combine(OpenBlasDirectory, "libblas.so.3"));

    /// <summary>Null if <paramref name="interpreter"/> imports everything the peer scripts need, else why not.</summary>
    public static string? CheckPython(string interpreter)
    {
        (int exit, _, string error) = RunProcess(interpreter, ["-c", "import numpy, sklearn, torch, threadpoolctl"], null, TimeSpan.FromMinutes(2));
        return exit == 0 ? null : error.Trim().Split('\n')[^1];
    }

    /// <summary>Runs a peer script; its JSON report, or null (with the reason logged) if it failed.</summary>
    public JsonElement? RunPython(string script, params string[] arguments)
    {
        var env = new Dictionary<string, string?>
        {
            ["PYTHONDONTWRITEBYTECODE"] = "1", // the peers folder is read-only
            ["NETGEN_DATA"] = Path.GetDirectoryName(dataDirectory), // torch_breakdown.py reads $NETGEN_DATA/fashion-mnist
        };
        if (blas == PeerBlas.OpenBlasSkylakeX)
        {
            env["LD_LIBRARY_PATH"] = OpenBlasDirectory;
            env["OPENBLAS_CORETYPE"] = "SkylakeX";
        }

        string[] args = [Path.Combine(peersDirectory, script), .. arguments];
        log($"{python} {script} {string.Join(' ', arguments)}");
        var timer = Stopwatch.StartNew();
        (int exit, string output, string error) = RunProcess(python, args, env, TimeSpan.FromMinutes(10));
        JsonElement? json = LastJsonLine(output);
        if (exit != 0 || json is null)
        {
            log($"  FAILED (exit code {exit}); last lines of its stderr:\n    " + string.Join("\n    ", LastLines(error, 8)));
            return null;
        }

        log($"  done in {timer.Elapsed.TotalSeconds:F1} s");
        return json;
    }

    /// <summary>Compiles and runs peak_fma.c (gcc -O3 -march=native -fopenmp) in a temporary folder; its JSON, or null.</summary>
    public JsonElement? RunPeakFma()
    {
        string source = Path.Combine(peersDirectory, "peak_fma.c");
        string folder = Path.Combine(Path.GetTempPath(), "netgen-peak-fma-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            string binary = Path.Combine(folder, "peak_fma");
            log($"gcc -O3 -march=native -fopenmp -o {binary} {source}");
            (int exit, _, string error) = RunProcess("gcc", ["-O3", "-march=native", "-fopenmp", "-o", binary, source], null, TimeSpan.FromMinutes(2));
            if (exit != 0)
            {
                log("  gcc FAILED: " + string.Join("\n    ", LastLines(error, 8)));
                return null;
            }

            log($"{binary} (peak FP32 FMA and memory bandwidth, about half a minute)");
            (exit, string output, error) = RunProcess(binary, [], null, TimeSpan.FromMinutes(5));
            JsonElement? json = LastJsonLine(output);
            if (exit != 0 || json is null)
            {
                log("  FAILED: " + string.Join("\n    ", LastLines(error, 8)));
            }

            return json;
        }
        catch (Win32Exception e)
        {
            log($"  could not run gcc or peak_fma: {e.Message}");
            return null;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonElement? LastJsonLine(string output)
    {
        string? last = null;
        foreach (string line in output.Split('\n'))
        {
            if (line.TrimStart().StartsWith('{'))
            {
                last = line;
            }
        }

        if (last is null)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(last);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string[] LastLines(string text, int count)
    {
        string[] lines = text.TrimEnd().Split('\n');
        return lines.Length <= count ? lines : lines[^count..];
    }

    private static (int ExitCode, string Output, string Error) RunProcess(
        string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string key, string? value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        try
        {
            using Process process = Process.Start(start)!;
            var error = new StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (error)
                    {
                        error.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, output, $"timed out after {timeout.TotalMinutes} min");
            }

            process.WaitForExit();
            lock (error)
            {
                return (process.ExitCode, output, error.ToString());
            }
        }
        catch (Win32Exception e)
        {
            return (-1, "", $"{fileName} could not be started: {e.Message}");
        }
    }
}
