using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.IO;
using NetGen.Training;

namespace NetGen.Plotting;

/// <summary>
/// Draws a <see cref="History"/> as an SVG image, the plot Keras users make with matplotlib after <c>fit</c>: a loss
/// panel and, for classification, an accuracy panel beside it, each with the training curve and (when the history
/// has one) the validation curve against the epoch number.
/// </summary>
/// <remarks>
/// The SVG is self-contained (no scripts, styles or fonts to fetch) and opens in any browser. Epochs are numbered
/// from 1; the vertical axes run over round tick values that enclose the data. Non-finite values are left out of
/// the curves. All numbers are written with the invariant culture.
/// </remarks>
public static class TrainingCurves
{
    private const double PanelWidth = 460, PanelHeight = 340, Gap = 24, Margin = 16;
    private const double TitleHeight = 34, LegendHeight = 26;
    private const double PlotLeft = 62, PlotRight = 16, PlotTop = 30, PlotBottom = 48;
    private const double InsetX = 8; // keeps the first and last points (and their markers) off the frame
    private const int MaxMarkedPoints = 60; // beyond this, markers only clutter the line
    private const string TrainingColor = "#1f77b4", ValidationColor = "#ff7f0e";
    private const string Font = "font-family=\"'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif\"";

    /// <summary>Writes the curves of <paramref name="history"/> to <paramref name="path"/> as SVG, atomically.</summary>
    /// <param name="history">What <c>Fit</c> returned; it needs at least one epoch.</param>
    /// <param name="path">The file to create or replace (by convention <c>*.svg</c>).</param>
    /// <param name="title">The heading; defaults to "Training curves".</param>
    public static void SaveSvg(this History history, string path, string? title = null) => AtomicFile.WriteAllText(path, ToSvg(history, title));

    /// <summary>The curves of <paramref name="history"/> as an SVG document.</summary>
    /// <param name="history">What <c>Fit</c> returned; it needs at least one epoch.</param>
    /// <param name="title">The heading; defaults to "Training curves".</param>
    public static string ToSvg(this History history, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        IReadOnlyList<EpochLogs> epochs = history.Epochs;
        if (epochs.Count == 0)
        {
            throw new ArgumentException("The history has no epochs to plot.", nameof(history));
        }

        var panels = new List<Panel>
        {
            new("loss", "Loss", Series(epochs, e => e.Loss), Series(epochs, e => e.ValidationLoss)),
        };
        var accuracy = Series(epochs, e => e.Accuracy);
        var validationAccuracy = Series(epochs, e => e.ValidationAccuracy);
        if (accuracy.Count > 0 || validationAccuracy.Count > 0)
        {
            panels.Add(new("accuracy", "Accuracy", accuracy, validationAccuracy));
        }

        bool hasValidation = panels.Exists(p => p.Validation.Count > 0);
        int lastEpoch = epochs[^1].Epoch + 1;
        foreach (EpochLogs e in epochs)
        {
            lastEpoch = Math.Max(lastEpoch, e.Epoch + 1);
        }

        double width = (2 * Margin) + (panels.Count * PanelWidth) + ((panels.Count - 1) * Gap);
        double height = TitleHeight + LegendHeight + PanelHeight + Margin;
        var svg = new Svg();
        svg.Raw($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" {Font} font-size=\"12\">");
        string heading = string.IsNullOrWhiteSpace(title) ? "Training curves" : title;
        svg.Raw($"<title>{Escape(heading)}</title>");
        svg.Raw($"<rect width=\"{N(width)}\" height=\"{N(height)}\" fill=\"#ffffff\"/>");
        svg.Raw($"<text x=\"{N(width / 2)}\" y=\"24\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\" fill=\"#222222\">{Escape(heading)}</text>");
        Legend(svg, width / 2, TitleHeight + 12, hasValidation);

        for (int i = 0; i < panels.Count; i++)
        {
            DrawPanel(svg, panels[i], Margin + (i * (PanelWidth + Gap)), TitleHeight + LegendHeight, lastEpoch);
        }

        svg.Raw("</svg>");
        return svg.ToString();
    }

    private static List<(int Epoch, double Value)> Series(IReadOnlyList<EpochLogs> epochs, Func<EpochLogs, float?> select)
    {
        var points = new List<(int, double)>();
        foreach (EpochLogs e in epochs)
        {
            if (select(e) is float v && float.IsFinite(v))
            {
                points.Add((e.Epoch + 1, v));
            }
        }

        return points;
    }

    private static void Legend(Svg svg, double centerX, double y, bool hasValidation)
    {
        // Each entry: a 24-px line sample, a gap, then the label; the group is centered under the title.
        double entryWidth = 104;
        double x = centerX - ((hasValidation ? 2 : 1) * entryWidth / 2);
        svg.Raw("<g id=\"legend\">");
        LegendEntry(svg, x, y, TrainingColor, dashed: false, "Training");
        if (hasValidation)
        {
            LegendEntry(svg, x + entryWidth, y, ValidationColor, dashed: true, "Validation");
        }

        svg.Raw("</g>");
    }

    private static void LegendEntry(Svg svg, double x, double y, string color, bool dashed, string label)
    {
        svg.Raw($"<line x1=\"{N(x)}\" y1=\"{N(y)}\" x2=\"{N(x + 24)}\" y2=\"{N(y)}\" stroke=\"{color}\" stroke-width=\"2.5\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");
        svg.Raw($"<circle cx=\"{N(x + 12)}\" cy=\"{N(y)}\" r=\"3\" fill=\"{color}\"/>");
        svg.Raw($"<text x=\"{N(x + 30)}\" y=\"{N(y + 4)}\" fill=\"#222222\">{label}</text>");
    }

    private static void DrawPanel(Svg svg, Panel panel, double left, double top, int lastEpoch)
    {
        double x0 = left + PlotLeft, x1 = left + PanelWidth - PlotRight;
        double y0 = top + PlotTop, y1 = top + PanelHeight - PlotBottom;

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach ((int _, double v) in panel.Training)
        {
            (min, max) = (Math.Min(min, v), Math.Max(max, v));
        }

        foreach ((int _, double v) in panel.Validation)
        {
            (min, max) = (Math.Min(min, v), Math.Max(max, v));
        }

        Ticks yTicks = NiceTicks(min, max);
        (double lo, double hi) = (yTicks.Low, yTicks.High);

        // One epoch still gets a horizontal extent, with its point in the middle.
        double eLo = lastEpoch > 1 ? 1 : 0.5, eHi = lastEpoch > 1 ? lastEpoch : 1.5;
        double X(double epoch) => x0 + InsetX + ((epoch - eLo) / (eHi - eLo) * (x1 - x0 - (2 * InsetX)));
        double Y(double value) => y1 - ((value - lo) / (hi - lo) * (y1 - y0));

        svg.Raw($"<g id=\"{panel.Id}-panel\">");
        svg.Raw($"<text x=\"{N((x0 + x1) / 2)}\" y=\"{N(top + 18)}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"#222222\">{panel.Label}</text>");

        // Grid and tick labels first, so the curves draw over them.
        svg.Raw("<g stroke=\"#e4e4e4\" stroke-width=\"1\">");
        for (int i = 0; i < yTicks.Count; i++)
        {
            double y = Y(yTicks.Value(i));
            svg.Raw($"<line x1=\"{N(x0)}\" y1=\"{N(y)}\" x2=\"{N(x1)}\" y2=\"{N(y)}\"/>");
        }

        List<int> xTicks = EpochTicks(lastEpoch);
        foreach (int epoch in xTicks)
        {
            svg.Raw($"<line x1=\"{N(X(epoch))}\" y1=\"{N(y0)}\" x2=\"{N(X(epoch))}\" y2=\"{N(y1)}\"/>");
        }

        svg.Raw("</g>");
        svg.Raw($"<rect x=\"{N(x0)}\" y=\"{N(y0)}\" width=\"{N(x1 - x0)}\" height=\"{N(y1 - y0)}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1\"/>");

        svg.Raw($"<g class=\"y-ticks\" text-anchor=\"end\" fill=\"#333333\">");
        for (int i = 0; i < yTicks.Count; i++)
        {
            double y = Y(yTicks.Value(i));
            svg.Raw($"<line x1=\"{N(x0 - 5)}\" y1=\"{N(y)}\" x2=\"{N(x0)}\" y2=\"{N(y)}\" stroke=\"#555555\"/>");
            svg.Raw($"<text x=\"{N(x0 - 8)}\" y=\"{N(y + 4)}\">{yTicks.Label(i)}</text>");
        }

        svg.Raw("</g>");
        svg.Raw($"<g class=\"x-ticks\" text-anchor=\"middle\" fill=\"#333333\">");
        foreach (int epoch in xTicks)
        {
            double x = X(epoch);
            svg.Raw($"<line x1=\"{N(x)}\" y1=\"{N(y1)}\" x2=\"{N(x)}\" y2=\"{N(y1 + 5)}\" stroke=\"#555555\"/>");
            svg.Raw($"<text x=\"{N(x)}\" y=\"{N(y1 + 19)}\">{epoch.ToString(CultureInfo.InvariantCulture)}</text>");
        }

        svg.Raw("</g>");
        svg.Raw($"<text x=\"{N((x0 + x1) / 2)}\" y=\"{N(y1 + 38)}\" text-anchor=\"middle\" fill=\"#222222\">Epoch</text>");
        double midY = (y0 + y1) / 2, labelX = left + 14;
        svg.Raw($"<text x=\"{N(labelX)}\" y=\"{N(midY)}\" text-anchor=\"middle\" transform=\"rotate(-90 {N(labelX)} {N(midY)})\" fill=\"#222222\">{panel.Label}</text>");

        Curve(svg, $"{panel.Id}-training", panel.Training, TrainingColor, dashed: false, X, Y);
        Curve(svg, $"{panel.Id}-validation", panel.Validation, ValidationColor, dashed: true, X, Y);
        svg.Raw("</g>");
    }

    private static void Curve(Svg svg, string id, List<(int Epoch, double Value)> points, string color, bool dashed, Func<double, double> x, Func<double, double> y)
    {
        if (points.Count == 0)
        {
            return;
        }

        var coordinates = new StringBuilder();
        foreach ((int epoch, double value) in points)
        {
            if (coordinates.Length > 0)
            {
                coordinates.Append(' ');
            }

            coordinates.Append(N(x(epoch))).Append(',').Append(N(y(value)));
        }

        svg.Raw($"<polyline id=\"{id}\" points=\"{coordinates}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");
        if (points.Count <= MaxMarkedPoints)
        {
            svg.Raw($"<g id=\"{id}-markers\" fill=\"{color}\">");
            foreach ((int epoch, double value) in points)
            {
                svg.Raw($"<circle cx=\"{N(x(epoch))}\" cy=\"{N(y(value))}\" r=\"3\"/>");
            }

            svg.Raw("</g>");
        }
    }

    /// <summary>Epoch ticks at multiples of 1, 2, 5, 10, 20, 50, … so that at most about ten are drawn; epoch 1 joins them when it is not crowded.</summary>
    internal static List<int> EpochTicks(int lastEpoch)
    {
        int step = 1;
        for (int scale = 1; lastEpoch / step > 10; scale *= 10)
        {
            step = lastEpoch / (2 * scale) <= 10 ? 2 * scale : lastEpoch / (5 * scale) <= 10 ? 5 * scale : 10 * scale;
        }

        var ticks = new List<int>();
        if (step == 1 || step >= 5)
        {
            ticks.Add(1);
        }

        for (int t = step; t <= lastEpoch; t += step)
        {
            if (t != 1)
            {
                ticks.Add(t);
            }
        }

        return ticks;
    }

    /// <summary>Four to nine round ticks (steps of 1, 2 or 5 times a power of ten) that enclose [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal static Ticks NiceTicks(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            (min, max) = (0, 1);
        }

        if (max - min < 1e-9 * Math.Max(1, Math.Abs(max)))
        {
            // A flat curve: give it some room, without inventing negative values for a non-negative one.
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min >= 0 && min - pad < 0 ? 0 : min - pad, max + pad);
        }

        double step = NiceStep((max - min) / 4);
        long first = (long)Math.Floor((min / step) + 1e-9), last = (long)Math.Ceiling((max / step) - 1e-9);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return new Ticks(first, last, step, decimals);
    }

    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        return (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * power;
    }

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>Ticks at <c>k · Step</c> for k from <see cref="First"/> to <see cref="Last"/>.</summary>
    internal readonly record struct Ticks(long First, long Last, double Step, int Decimals)
    {
        public int Count => (int)(Last - First + 1);

        public double Low => First * Step;

        public double High => Last * Step;

        public double Value(int i) => (First + i) * Step;

        public string Label(int i) => Value(i).ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private sealed record Panel(string Id, string Label, List<(int Epoch, double Value)> Training, List<(int Epoch, double Value)> Validation);

    /// <summary>One element per line keeps the output diffable and easy to read.</summary>
    private sealed class Svg
    {
        private readonly StringBuilder _text = new();

        public void Raw(string element) => _text.Append(element).Append('\n');

        public override string ToString() => _text.ToString();
    }
}
