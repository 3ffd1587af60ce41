using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>A minimal indenting text writer for generated source (four spaces, '\n' line ends on every platform).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>
    /// Writes a block of lines (a raw-string template) at the current indentation, keeping each line's own indentation
    /// within the block, so an emitter can show the code it writes as it will read.
    /// </summary>
    public SourceWriter Block(string lines)
    {
        foreach (string line in lines.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    public override string ToString() => _text.ToString();
}
