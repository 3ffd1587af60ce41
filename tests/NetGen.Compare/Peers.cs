using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace NetGen.Compare;

/// <summary>Runs the Python peers (tests/peers/*.py) and reads their one-line JSON reports.</summary>
internal static class Peers
{
    public const string InstallHint = "sudo apt-get install python3-sklearn python3-torch";

    /// <summary>Null if <paramref name="python"/> runs and imports everything the peers need, else why not.</summary>
    public static string? CheckPrerequisites(string python)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import numpy, sklearn, torch, threadpoolctl");
        try
        {
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim();
        }
        catch (Win32Exception e)
        {
            return $"{python} could not be started: {e.Message}";
        }
    }

    /// <summary>Runs one peer script on the split folder; its progress (stderr) goes straight to the console.</summary>
    public static PeerReport Run(string python, string script, string splitDirectory, string workingDirectory)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1"; // no __pycache__ beside the scripts in the repository
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--split-dir");
        start.ArgumentList.Add(splitDirectory);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? json = null;
        foreach (string line in output.Split('\n'))
        {
            if (line.TrimStart().StartsWith('{'))
            {
                json = line;
            }
        }

        if (process.ExitCode != 0 || json is null)
        {
            throw new InvalidOperationException(
                $"{python} {Path.GetFileName(script)} failed (exit code {process.ExitCode}){(json is null ? " without a JSON report" : "")}.");
        }

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        var results = new Dictionary<(string Id, int Seed), RunResult>();
        foreach (JsonElement r in root.GetProperty("results").EnumerateArray())
        {
            double metric = r.TryGetProperty("accuracy", out JsonElement accuracy) ? accuracy.GetDouble() : r.GetProperty("r2").GetDouble();
            results[(r.GetProperty("id").GetString()!, r.GetProperty("seed").GetInt32())] = new RunResult(
                metric, r.GetProperty("fit_s").GetDouble(), Optional(r, "epochs_run") is double e ? (int)e : null,
                Optional(r, "final_loss"), Optional(r, "final_val_loss"));
        }

        return new PeerReport(root.GetProperty("environment").ToString(), results);
    }

    private static double? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}

/// <summary>A peer's environment (as JSON text) and its results by run id and seed.</summary>
internal sealed record PeerReport(string Environment, IReadOnlyDictionary<(string Id, int Seed), RunResult> Results);
