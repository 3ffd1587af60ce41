using System.Globalization;
using System.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Builds Keras's <c>model.summary()</c> table at build time, so the generated constant costs nothing at run time.</summary>
internal static class SummaryWriter
{
    private const int NameWidth = 29, ShapeWidth = 26, Width = 65;

    public static string Write(NetworkSpec spec)
    {
        // Keras's column widths, widened (with the rules) when a layer's name and type would run into the shape column.
        int nameWidth = NameWidth;
        foreach (LayerSpec layer in spec.Layers)
        {
            nameWidth = System.Math.Max(nameWidth, NameColumn(layer).Length + 2);
        }

        int width = Width + nameWidth - NameWidth;
        var text = new StringBuilder();
        string rule = new('_', width), doubleRule = new('=', width);
        text.Append("Model: \"").Append(spec.ClassName).Append("\"\n");
        text.Append(rule).Append('\n');
        Row(text, nameWidth, "Layer (type)", "Output Shape", "Param #");
        text.Append(doubleRule).Append('\n');
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            Row(text, nameWidth, NameColumn(layer), KerasShape(layer.OutputShape), Count(layer.ParameterCount));
            text.Append(i == spec.Layers.Count - 1 ? doubleRule : rule).Append('\n');
        }

        int trainable = spec.TrainableParameterCount, fixedCount = spec.ParameterCount - trainable;
        text.Append("Total params: ").Append(Count(spec.ParameterCount)).Append(" (").Append(Bytes(spec.ParameterCount * 4L)).Append(")\n");
        text.Append("Trainable params: ").Append(Count(trainable)).Append(" (").Append(Bytes(trainable * 4L)).Append(")\n");
        text.Append("Non-trainable params: ").Append(Count(fixedCount)).Append(" (").Append(Bytes(fixedCount * 4L)).Append(")\n");
        text.Append(rule).Append('\n');
        return text.ToString();
    }

    /// <summary>Keras's output shape with the batch dimension: <c>(None, 13, 13, 32)</c>.</summary>
    public static string KerasShape(Shape shape) => "(None, " + shape + ")";

    private static string NameColumn(LayerSpec layer) => layer.Name + " (" + layer.Descriptor.SummaryType(layer) + ")";

    private static void Row(StringBuilder text, int nameWidth, string name, string shape, string count)
    {
        text.Append(' ').Append(name.PadRight(nameWidth - 1)).Append(' ').Append(shape.PadRight(ShapeWidth - 1)).Append(' ').Append(count);
        text.Append('\n');
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("F2", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
