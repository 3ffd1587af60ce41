using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NetGen.Training;

/// <summary>
/// A checkpoint file name template, Keras style: <c>{epoch}</c> is the 1-based epoch, <c>{loss}</c>, <c>{accuracy}</c>,
/// <c>{val_loss}</c> and <c>{val_accuracy}</c> the epoch's metrics, each with an optional Python format spec as Keras
/// users write them: <c>{epoch:02d}</c> (zero-padded to 2 digits), <c>{val_loss:.4f}</c> (4 decimals),
/// <c>{loss:.2e}</c> (exponent notation); <c>{{</c> and <c>}}</c> are literal braces. Values print as Python prints
/// Keras's logs. The template is checked when it is created, not when the first epoch ends.
/// </summary>
internal sealed partial class CheckpointPath
{
    private readonly string _template;

    public CheckpointPath(string template)
    {
        _template = template;
        foreach (Match m in Placeholder().Matches(template))
        {
            if (!m.Groups["name"].Success)
            {
                continue; // {{ or }}: a literal brace
            }

            string name = m.Groups["name"].Value, spec = m.Groups["spec"].Value;
            if (name != "epoch")
            {
                EpochLogs.CheckMetricName(name);
            }

            if (m.Groups["spec"].Success && DotNetFormat(spec, integer: name == "epoch") is null)
            {
                throw new ArgumentException(
                    $"'{m.Value}' in the checkpoint path has a format NetGen does not know: use {{epoch}} or {{epoch:0Nd}}, and {{metric}}, {{metric:.Nf}} or {{metric:.Ne}}.",
                    "path");
            }
        }
    }

    /// <summary>The file name for the epoch <paramref name="logs"/> describe.</summary>
    /// <exception cref="InvalidOperationException">The template names a metric this training does not measure.</exception>
    public string For(EpochLogs logs) => Placeholder().Replace(_template, m =>
    {
        if (!m.Groups["name"].Success)
        {
            return m.Value[..1];
        }

        string name = m.Groups["name"].Value;
        string? format = m.Groups["spec"].Success ? DotNetFormat(m.Groups["spec"].Value, integer: name == "epoch") : null;
        if (name == "epoch")
        {
            return (logs.Epoch + 1).ToString(format, CultureInfo.InvariantCulture);
        }

        float value = logs[name] ?? throw new InvalidOperationException(
            $"The checkpoint path names '{{{name}}}', which this training does not measure.");

        // As Python prints Keras's logs: the float widened to double (a float's own formatting rounds to 7 digits
        // first), and nan / inf spelled its way.
        return float.IsNaN(value) ? "nan"
            : float.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
            : ((double)value).ToString(format, CultureInfo.InvariantCulture);
    });

    /// <summary>The .NET format string for a Python format spec, or null if it is not one of the supported forms.</summary>
    private static string? DotNetFormat(string spec, bool integer)
    {
        Match m = Spec().Match(spec);
        if (!m.Success)
        {
            return null;
        }

        string kind = m.Groups["kind"].Success ? m.Groups["kind"].Value : integer ? "d" : string.Empty;
        if (kind.Length == 0)
        {
            return null; // a metric needs f or e
        }

        if (kind == "d")
        {
            // {epoch:02d}: at least 2 digits, zero-padded; {epoch:d} or {epoch:3d} (space-padded in Python) as plain digits.
            return integer && !m.Groups["precision"].Success
                ? m.Groups["zero"].Success ? "D" + m.Groups["width"].Value : "D"
                : null;
        }

        if (integer || m.Groups["width"].Success)
        {
            return null;
        }

        string precision = m.Groups["precision"].Success ? m.Groups["precision"].Value : "6"; // Python's default
        return kind == "f" ? "F" + precision : "0." + new string('0', int.Parse(precision, CultureInfo.InvariantCulture)) + "e+00";
    }

    // {{ and }} are literal braces, as in Python's str.format, which Keras uses.
    [GeneratedRegex(@"\{\{|\}\}|\{(?<name>[a-z_]+)(?::(?<spec>[^}]*))?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(?<zero>0)?(?<width>[1-9][0-9]?)?(?:\.(?<precision>[0-9]{1,2}))?(?<kind>[dfe])?$")]
    private static partial Regex Spec();
}
