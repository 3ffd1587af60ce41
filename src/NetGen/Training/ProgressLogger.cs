using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen.Training;

/// <summary>
/// Keras's progress output, as a callback (<c>Fit</c> adds one for <c>verbose</c> 1 or 2).
/// Verbose 1: <c>Epoch 3/20</c>, then a bar redrawn in place at most every 100 ms with steps, ETA, loss and accuracy,
/// finished with elapsed time, ms/step and the validation figures (compiled metrics such as precision or auc follow accuracy); when output is not a terminal only the finished
/// line is written. Verbose 2: one line per epoch.
/// </summary>
public sealed class ProgressLogger : Callback
{
    private const int BarWidth = 30;
    private static readonly long RedrawTicks = Stopwatch.Frequency / 10;

    private readonly int _verbose;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly int _epochs;
    private long _epochStart, _trainEnd, _lastDraw;
    private int _steps, _drawnLength;

    /// <summary>Creates the logger.</summary>
    /// <param name="verbose">1 for a progress bar, 2 for one line per epoch.</param>
    /// <param name="writer">Where to write; defaults to the console.</param>
    /// <param name="interactive">Whether the bar may be redrawn in place; defaults to whether the console is a terminal.</param>
    /// <param name="epochs">The epoch count shown as <c>Epoch 3/20</c>; 0 shows <c>Epoch 3</c>.</param>
    public ProgressLogger(int verbose = 1, TextWriter? writer = null, bool? interactive = null, int epochs = 0)
    {
        if (verbose is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(verbose), verbose, "verbose must be 1 (progress bar) or 2 (one line per epoch).");
        }

        _verbose = verbose;
        _writer = writer ?? Console.Out;
        _interactive = verbose == 1 && (interactive ?? (writer is null && !Console.IsOutputRedirected));
        _epochs = epochs;
    }

    /// <inheritdoc/>
    public override void OnWarning(Network model, string message)
    {
        _writer.WriteLine("Warning: " + message);
        _writer.Flush();
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(Network model, int epoch)
    {
        _writer.WriteLine(_epochs > 0 ? $"Epoch {epoch + 1}/{_epochs}" : $"Epoch {epoch + 1}");
        _epochStart = _lastDraw = Stopwatch.GetTimestamp();
        _drawnLength = 0;
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(Network model, in BatchLogs logs)
    {
        _steps = logs.Steps;
        long now = Stopwatch.GetTimestamp();
        _trainEnd = now;
        if (!_interactive || logs.Step == logs.Steps || now - _lastDraw < RedrawTicks)
        {
            return;
        }

        _lastDraw = now;
        double perStep = Seconds(now - _epochStart) / logs.Step;
        var line = new StringBuilder();
        Steps(line, logs.Step, logs.Steps);
        line.Append(' ');
        Bar(line, logs.Step, logs.Steps);
        line.Append(" - ETA: ").Append(Duration(perStep * (logs.Steps - logs.Step)));
        Metric(line, "loss", logs.Loss);
        Metric(line, "accuracy", logs.Accuracy);
        foreach (var (name, value) in logs.Metrics.Span)
        {
            Metric(line, name, value);
        }

        Redraw(line.ToString());
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Network model, EpochLogs logs)
    {
        double train = Seconds(_trainEnd - _epochStart);
        var line = new StringBuilder();
        Steps(line, _steps, _steps);
        if (_verbose == 1)
        {
            line.Append(' ');
            Bar(line, _steps, _steps);
        }

        line.Append(" - ").Append(Duration(logs.Elapsed.TotalSeconds))
            .Append(_verbose == 1 ? " " : " - ").Append(Duration(train / Math.Max(1, _steps))).Append("/step");
        Metric(line, "loss", logs.Loss);
        Metric(line, "accuracy", logs.Accuracy);
        Metrics(line, logs, validation: false);
        Metric(line, "val_loss", logs.ValidationLoss);
        Metric(line, "val_accuracy", logs.ValidationAccuracy);
        Metrics(line, logs, validation: true);
        if (_interactive)
        {
            Redraw(line.ToString());
            _writer.WriteLine();
        }
        else
        {
            _writer.WriteLine(line.ToString());
        }

        _writer.Flush();
    }

    private void Redraw(string line)
    {
        // Pad over whatever the previous, possibly longer, line left on the terminal.
        _writer.Write('\r');
        _writer.Write(line.PadRight(_drawnLength));
        _drawnLength = line.Length;
        _writer.Flush();
    }

    private static void Steps(StringBuilder line, int step, int steps)
    {
        string total = steps.ToString(CultureInfo.InvariantCulture);
        line.Append(step.ToString(CultureInfo.InvariantCulture).PadLeft(total.Length)).Append('/').Append(total);
    }

    private static void Bar(StringBuilder line, int step, int steps)
    {
        int done = (int)((long)step * BarWidth / steps);
        line.Append('[');
        if (step == steps)
        {
            line.Append('=', BarWidth);
        }
        else
        {
            line.Append('=', Math.Max(0, done - 1)).Append('>').Append('.', BarWidth - Math.Max(1, done));
        }

        line.Append(']');
    }

    private static void Metric(StringBuilder line, string name, float? value)
    {
        if (value is float v)
        {
            line.Append(" - ").Append(name).Append(": ").Append(v.ToString("F4", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The compiled metrics of the training or (<c>val_</c>) validation data, in the order they were compiled.</summary>
    private static void Metrics(StringBuilder line, EpochLogs logs, bool validation)
    {
        foreach (var (name, value) in logs.Metrics)
        {
            if (name.StartsWith("val_", StringComparison.Ordinal) == validation)
            {
                Metric(line, name, value);
            }
        }
    }

    /// <summary>Keras's compact durations: 3s, 45ms, 120us.</summary>
    private static string Duration(double seconds) => seconds switch
    {
        >= 1 => Math.Round(seconds).ToString(CultureInfo.InvariantCulture) + "s",
        >= 1e-3 => Math.Round(seconds * 1e3).ToString(CultureInfo.InvariantCulture) + "ms",
        _ => Math.Round(seconds * 1e6).ToString(CultureInfo.InvariantCulture) + "us",
    };

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
