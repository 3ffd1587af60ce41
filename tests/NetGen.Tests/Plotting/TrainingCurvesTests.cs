using System;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using NetGen.Plotting;
using NetGen.Tests.IO;
using NetGen.Training;

namespace NetGen.Tests.Plotting;

/// <summary>The SVG of a training history: well-formed, one polyline per series with one point per epoch, round ticks.</summary>
public sealed class TrainingCurvesTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void A_classification_history_with_validation_has_four_curves_in_two_panels()
    {
        XDocument doc = Parse(History(5, accuracy: true, validation: true).ToSvg("Fashion-MNIST"));
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.NotNull(Group(doc, "loss-panel"));
        Assert.NotNull(Group(doc, "accuracy-panel"));
        foreach (string id in new[] { "loss-training", "loss-validation", "accuracy-training", "accuracy-validation" })
        {
            Assert.Equal(5, Points(doc, id).Length);
        }

        Assert.Contains("Fashion-MNIST", Texts(doc));
        Assert.Contains("Training", Texts(doc));
        Assert.Contains("Validation", Texts(doc));
        Assert.Contains("Epoch", Texts(doc));
    }

    [Fact]
    public void Points_run_left_to_right_by_epoch_and_lower_loss_is_drawn_lower()
    {
        XDocument doc = Parse(History(8, accuracy: true, validation: false).ToSvg());
        (double X, double Y)[] loss = Points(doc, "loss-training");
        (double X, double Y)[] accuracy = Points(doc, "accuracy-training");
        for (int i = 1; i < loss.Length; i++)
        {
            Assert.True(loss[i].X > loss[i - 1].X);
            Assert.True(loss[i].Y > loss[i - 1].Y, "a falling loss goes down the image (SVG y grows downwards)");
            Assert.True(accuracy[i].Y < accuracy[i - 1].Y, "a rising accuracy goes up the image");
        }

        // Epoch ticks are 1-based and the same in both panels; tick labels are round numbers.
        string[] xTicks = TickLabels(doc, "loss-panel", "x-ticks");
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], xTicks);
        Assert.Equal(xTicks, TickLabels(doc, "accuracy-panel", "x-ticks"));
        AssertRoundTicks(TickLabels(doc, "loss-panel", "y-ticks"));
        AssertRoundTicks(TickLabels(doc, "accuracy-panel", "y-ticks"));
    }

    [Fact]
    public void Without_validation_there_is_no_validation_curve_or_legend_entry()
    {
        XDocument doc = Parse(History(3, accuracy: true, validation: false).ToSvg());
        Assert.Null(Polyline(doc, "loss-validation"));
        Assert.Null(Polyline(doc, "accuracy-validation"));
        Assert.DoesNotContain("Validation", Texts(doc));
        Assert.Equal(3, Points(doc, "loss-training").Length);
    }

    [Fact]
    public void A_regression_history_has_no_accuracy_panel_and_a_narrower_image()
    {
        XDocument regression = Parse(History(4, accuracy: false, validation: true).ToSvg());
        XDocument classification = Parse(History(4, accuracy: true, validation: true).ToSvg());
        Assert.Null(Group(regression, "accuracy-panel"));
        Assert.DoesNotContain("Accuracy", Texts(regression));
        Assert.Equal(4, Points(regression, "loss-validation").Length);
        Assert.True(Width(regression) < Width(classification));
    }

    [Fact]
    public void One_epoch_gives_one_point_per_curve_with_a_visible_marker()
    {
        string svg = History(1, accuracy: true, validation: true).ToSvg();
        XDocument doc = Parse(svg);
        Assert.Single(Points(doc, "loss-training"));
        Assert.Single(Points(doc, "accuracy-validation"));
        Assert.Single(Group(doc, "loss-training-markers")!.Elements(Svg + "circle"));
        Assert.Equal(["1"], TickLabels(doc, "loss-panel", "x-ticks"));
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flat_curve_still_gets_a_range_and_ticks()
    {
        var history = new History();
        for (int e = 0; e < 3; e++)
        {
            history.Add(new EpochLogs(e, 0.25f, 1f, TimeSpan.Zero));
        }

        string svg = history.ToSvg();
        XDocument doc = Parse(svg);
        Assert.True(TickLabels(doc, "loss-panel", "y-ticks").Length >= 2);
        Assert.True(TickLabels(doc, "accuracy-panel", "y-ticks").Length >= 2);
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        (double X, double Y)[] points = Points(doc, "accuracy-training");
        Assert.All(points, p => Assert.Equal(points[0].Y, p.Y));
    }

    [Fact]
    public void Non_finite_values_are_left_out_of_their_curve()
    {
        var history = new History();
        history.Add(new EpochLogs(0, 1f, null, TimeSpan.Zero, ValidationLoss: 2f));
        history.Add(new EpochLogs(1, 0.5f, null, TimeSpan.Zero, ValidationLoss: float.PositiveInfinity));
        history.Add(new EpochLogs(2, 0.25f, null, TimeSpan.Zero, ValidationLoss: 1f));
        XDocument doc = Parse(history.ToSvg());
        Assert.Equal(3, Points(doc, "loss-training").Length);
        Assert.Equal(2, Points(doc, "loss-validation").Length);
    }

    [Fact]
    public void The_title_is_escaped_and_numbers_are_invariant()
    {
        string svg = History(12, accuracy: true, validation: true).ToSvg("loss & <accuracy> \"run 1\"");
        XDocument doc = Parse(svg);
        Assert.Contains("loss & <accuracy> \"run 1\"", Texts(doc));
        Assert.All(Points(doc, "loss-training"), p => Assert.True(double.IsFinite(p.X) && double.IsFinite(p.Y)));
    }

    [Fact]
    public void SaveSvg_writes_the_file_atomically()
    {
        using var dir = new TempDirectory();
        string path = dir.File("curves.svg");
        History history = History(6, accuracy: true, validation: true);
        history.SaveSvg(path);
        Assert.Equal(history.ToSvg(), System.IO.File.ReadAllText(path));
        Assert.Equal(["curves.svg"], dir.Entries());
    }

    [Fact]
    public void An_empty_history_cannot_be_plotted()
    {
        Assert.Throws<ArgumentException>(() => new History().ToSvg());
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(10, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData(11, new[] { 2, 4, 6, 8, 10 })]
    [InlineData(25, new[] { 1, 5, 10, 15, 20, 25 })]
    [InlineData(100, new[] { 1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 })]
    [InlineData(230, new[] { 1, 50, 100, 150, 200 })]
    public void Epoch_ticks_are_round_and_few(int epochs, int[] expected)
    {
        Assert.Equal(expected, TrainingCurves.EpochTicks(epochs));
    }

    [Theory]
    [InlineData(0.23, 0.91, 0.2, 1.0, 0.2)]
    [InlineData(0.0312, 2.4, 0.0, 2.5, 0.5)]
    [InlineData(0.5, 0.5, 0.44, 0.56, 0.02)] // flat: padded by 10% either side
    [InlineData(0.0, 0.0, 0.0, 1.0, 0.2)]
    [InlineData(-3.0, 7.0, -4.0, 8.0, 2.0)]
    public void Value_ticks_are_round_and_enclose_the_data(double min, double max, double low, double high, double step)
    {
        TrainingCurves.Ticks ticks = TrainingCurves.NiceTicks(min, max);
        Assert.Equal(step, ticks.Step, 12);
        Assert.Equal(low, ticks.Low, 12);
        Assert.Equal(high, ticks.High, 12);
    }

    private static History History(int epochs, bool accuracy, bool validation)
    {
        var history = new History();
        for (int e = 0; e < epochs; e++)
        {
            float loss = 2f / (e + 1);
            float acc = 1f - (0.5f / (e + 1));
            history.Add(new EpochLogs(e, loss, accuracy ? acc : null, TimeSpan.FromMilliseconds(10),
                validation ? loss * 1.2f : null, validation && accuracy ? acc * 0.95f : null));
        }

        return history;
    }

    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static XElement? Group(XDocument doc, string id) => doc.Descendants().FirstOrDefault(e => (string?)e.Attribute("id") == id);

    private static XElement? Polyline(XDocument doc, string id) => doc.Descendants(Svg + "polyline").FirstOrDefault(e => (string?)e.Attribute("id") == id);

    private static (double X, double Y)[] Points(XDocument doc, string id)
    {
        XElement line = Polyline(doc, id) ?? throw new InvalidOperationException($"no polyline {id}");
        return line.Attribute("points")!.Value.Split(' ').Select(p =>
        {
            string[] xy = p.Split(',');
            return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
        }).ToArray();
    }

    private static string[] Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Value).ToArray();

    private static string[] TickLabels(XDocument doc, string panel, string axis) =>
        Group(doc, panel)!.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == axis).Elements(Svg + "text").Select(t => t.Value).ToArray();

    private static double Width(XDocument doc) => double.Parse(doc.Root!.Attribute("width")!.Value, CultureInfo.InvariantCulture);

    /// <summary>Evenly spaced by 1, 2 or 5 times a power of ten, starting on a multiple of the step.</summary>
    private static void AssertRoundTicks(string[] labels)
    {
        double[] ticks = labels.Select(l => double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(ticks.Length >= 3, $"only {ticks.Length} ticks");
        double step = ticks[1] - ticks[0];
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        for (int i = 1; i < ticks.Length; i++)
        {
            Assert.Equal(step, ticks[i] - ticks[i - 1], 9);
        }

        Assert.Equal(Math.Round(ticks[0] / step), ticks[0] / step, 9);
    }
}
