using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Generator.Parsing;

/// <summary>One tensor as a safetensors header describes it.</summary>
internal sealed record SafetensorsEntry(string Name, string DType, long[] Shape, ulong Begin, ulong End);

/// <summary>
/// A safetensors file's header, parsed and checked for structure as the runtime's <c>SafeTensors.ReadHeader</c> does
/// (the same limits and the same refusals, so a file the build accepts loads at run time and the other way round):
/// an 8-byte little-endian length, that many bytes of UTF-8 JSON, one object per tensor with exactly
/// <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>, and an optional <c>__metadata__</c> of strings.
/// The runtime's code cannot be shared (it is net10.0 and System.Text.Json; the generator is netstandard2.0), so this
/// reads the JSON with a small parser of its own.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's cap on the header, as at run time.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private SafetensorsHeader(List<SafetensorsEntry> entries, Dictionary<string, string> metadata, long dataStart, long dataLength)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
        DataLength = dataLength;
    }

    public List<SafetensorsEntry> Entries { get; }

    public Dictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts in the file.</summary>
    public long DataStart { get; }

    public long DataLength { get; }

    /// <summary>Parses the header of <paramref name="file"/>; on failure returns null and says why in <paramref name="problem"/>.</summary>
    public static SafetensorsHeader? Parse(byte[] file, out string problem)
    {
        problem = string.Empty;
        try
        {
            return ParseOrThrow(file);
        }
        catch (FormatException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static SafetensorsHeader ParseOrThrow(byte[] file)
    {
        if (file.Length < 8)
        {
            throw Invalid($"the file is {file.Length} bytes long, too short for the 8-byte header length that starts a safetensors file");
        }

        ulong headerLength = 0;
        for (int i = 7; i >= 0; i--)
        {
            headerLength = (headerLength << 8) | file[i];
        }

        if (headerLength > MaxHeaderLength)
        {
            throw Invalid($"the header length is {headerLength} bytes, more than the format's limit of {MaxHeaderLength}: the header length is corrupt or this is not a safetensors file");
        }

        if ((long)headerLength > file.Length - 8)
        {
            throw Invalid($"the header length is {headerLength} bytes but only {file.Length - 8} bytes follow it: the file is truncated or its header length is corrupt");
        }

        if (headerLength < 2)
        {
            throw Invalid($"the header length is {headerLength} bytes, too short for a JSON object");
        }

        if (file[8] != (byte)'{')
        {
            throw Invalid("the header does not start with '{', so it is not a safetensors JSON header");
        }

        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, 8, (int)headerLength);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("the header is not valid UTF-8");
        }

        var reader = new JsonReader(json);
        List<KeyValuePair<string, object?>> root = reader.ReadDocument();
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> property in root)
        {
            if (!seen.Add(property.Key))
            {
                throw Invalid($"the header names \"{property.Key}\" twice");
            }

            if (property.Key == "__metadata__")
            {
                ReadMetadata(property.Value, metadata);
            }
            else
            {
                entries.Add(ReadEntry(property.Key, property.Value));
            }
        }

        return new SafetensorsHeader(entries, metadata, 8 + (long)headerLength, file.Length - 8 - (long)headerLength);
    }

    private static void ReadMetadata(object? value, Dictionary<string, string> metadata)
    {
        if (value is not List<KeyValuePair<string, object?>> pairs)
        {
            throw Invalid($"__metadata__ is a JSON {Kind(value)}, but it must be an object of strings");
        }

        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            if (pair.Value is not string text)
            {
                throw Invalid($"__metadata__.{pair.Key} is a JSON {Kind(pair.Value)}, but metadata values must be strings");
            }

            if (metadata.ContainsKey(pair.Key))
            {
                throw Invalid($"__metadata__ names \"{pair.Key}\" twice");
            }

            metadata.Add(pair.Key, text);
        }
    }

    private static SafetensorsEntry ReadEntry(string name, object? value)
    {
        if (value is not List<KeyValuePair<string, object?>> fields)
        {
            throw Invalid($"tensor {name} is described by a JSON {Kind(value)}, not an object with dtype, shape and data_offsets");
        }

        string? dtype = null;
        long[]? shape = null;
        ulong[]? offsets = null;
        foreach (KeyValuePair<string, object?> field in fields)
        {
            switch (field.Key)
            {
                case "dtype" when field.Value is string text:
                    dtype = text;
                    break;
                case "dtype":
                    throw Invalid($"tensor {name} has a dtype that is a JSON {Kind(field.Value)}, not a string");
                case "shape":
                    ulong[] dims = Integers(field.Value, name, "shape");
                    shape = new long[dims.Length];
                    for (int i = 0; i < dims.Length; i++)
                    {
                        shape[i] = (long)dims[i];
                    }

                    break;
                case "data_offsets":
                    offsets = Integers(field.Value, name, "data_offsets");
                    if (offsets.Length != 2)
                    {
                        throw Invalid($"tensor {name} has {offsets.Length} data_offsets; it needs exactly two, [begin, end]");
                    }

                    break;
                default:
                    throw Invalid($"tensor {name} has an unknown field \"{field.Key}\" (expected dtype, shape and data_offsets)");
            }
        }

        string? missing = dtype is null ? "dtype" : shape is null ? "shape" : offsets is null ? "data_offsets" : null;
        if (missing is not null)
        {
            throw Invalid($"tensor {name} has no {missing}");
        }

        return new SafetensorsEntry(name, dtype!, shape!, offsets![0], offsets[1]);
    }

    private static ulong[] Integers(object? value, string tensor, string field)
    {
        if (value is not List<object?> items)
        {
            throw Invalid($"tensor {tensor} has a {field} that is a JSON {Kind(value)}, not an array of integers");
        }

        var result = new ulong[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonNumber number || !ulong.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n > long.MaxValue)
            {
                throw Invalid($"tensor {tensor} has {field} {JsonReader.Describe(items[i])}, which is not a non-negative integer");
            }

            result[i] = n;
        }

        return result;
    }

    private static string Kind(object? value) => value switch
    {
        List<KeyValuePair<string, object?>> => "object",
        List<object?> => "array",
        string => "string",
        JsonNumber => "number",
        bool => "boolean",
        _ => "null",
    };

    private static FormatException Invalid(string problem) => new(problem);

    /// <summary>A JSON number, kept as written: only non-negative integers are ever read from one.</summary>
    private sealed class JsonNumber(string text)
    {
        public string Text { get; } = text;
    }

    /// <summary>
    /// A strict reader of one JSON document (RFC 8259): objects become ordered lists of pairs (so duplicates can be
    /// refused), arrays lists, strings strings, numbers <see cref="JsonNumber"/>, and true/false/null themselves.
    /// </summary>
    private sealed class JsonReader(string text)
    {
        private const int MaxDepth = 64; // System.Text.Json's default, which the runtime reads the header with
        private int _position;

        public List<KeyValuePair<string, object?>> ReadDocument()
        {
            object? root = ReadValue(0);
            SkipWhitespace();
            if (_position != text.Length)
            {
                throw Error("more text after the JSON value");
            }

            return root as List<KeyValuePair<string, object?>> ?? throw Invalid($"the header is a JSON {Kind(root)}, not an object");
        }

        public static string Describe(object? value) => value switch
        {
            JsonNumber number => number.Text,
            string s => "\"" + s + "\"",
            bool b => b ? "true" : "false",
            null => "null",
            _ => Kind(value),
        };

        private object? ReadValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error("the JSON nests more than " + MaxDepth + " deep");
            }

            SkipWhitespace();
            if (_position >= text.Length)
            {
                throw Error("the JSON ends early");
            }

            char c = text[_position];
            switch (c)
            {
                case '{':
                    return ReadObject(depth);
                case '[':
                    return ReadArray(depth);
                case '"':
                    return ReadString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    throw Error($"unexpected character '{c}'");
            }
        }

        private List<KeyValuePair<string, object?>> ReadObject(int depth)
        {
            _position++;
            var pairs = new List<KeyValuePair<string, object?>>();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                return pairs;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a property name");
                }

                string name = ReadString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error("expected ':' after a property name");
                }

                _position++;
                pairs.Add(new KeyValuePair<string, object?>(name, ReadValue(depth + 1)));
                SkipWhitespace();
                char next = Peek();
                _position++;
                if (next == '}')
                {
                    return pairs;
                }

                if (next != ',')
                {
                    throw Error("expected ',' or '}' in an object");
                }
            }
        }

        private List<object?> ReadArray(int depth)
        {
            _position++;
            var items = new List<object?>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                return items;
            }

            while (true)
            {
                items.Add(ReadValue(depth + 1));
                SkipWhitespace();
                char next = Peek();
                _position++;
                if (next == ']')
                {
                    return items;
                }

                if (next != ',')
                {
                    throw Error("expected ',' or ']' in an array");
                }
            }
        }

        private string ReadString()
        {
            _position++; // the opening quote
            var value = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw Error("a string is not closed");
                }

                char c = text[_position++];
                if (c == '"')
                {
                    return value.ToString();
                }

                if (c < ' ')
                {
                    throw Error("a control character inside a string");
                }

                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                char escape = _position < text.Length ? text[_position++] : '\0';
                switch (escape)
                {
                    case '"': value.Append('"'); break;
                    case '\\': value.Append('\\'); break;
                    case '/': value.Append('/'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u' when _position + 4 <= text.Length
                        && ushort.TryParse(text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                        value.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        throw Error("an invalid escape in a string");
                }
            }
        }

        private JsonNumber ReadNumber()
        {
            int start = _position;
            if (Peek() == '-')
            {
                _position++;
            }

            if (Peek() == '0')
            {
                _position++;
            }
            else if (!Digits())
            {
                throw Error("a number without digits");
            }

            if (Peek() == '.')
            {
                _position++;
                if (!Digits())
                {
                    throw Error("a number with no digits after its '.'");
                }
            }

            if (Peek() is 'e' or 'E')
            {
                _position++;
                if (Peek() is '+' or '-')
                {
                    _position++;
                }

                if (!Digits())
                {
                    throw Error("a number with no digits in its exponent");
                }
            }

            return new JsonNumber(text.Substring(start, _position - start));
        }

        private bool Digits()
        {
            int start = _position;
            while (_position < text.Length && text[_position] >= '0' && text[_position] <= '9')
            {
                _position++;
            }

            return _position > start;
        }

        private void Expect(string literal)
        {
            if (string.CompareOrdinal(text, _position, literal, 0, literal.Length) != 0)
            {
                throw Error("an unknown literal");
            }

            _position += literal.Length;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipWhitespace()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\n' or '\r')
            {
                _position++;
            }
        }

        private FormatException Error(string what) =>
            Invalid($"the header is not valid JSON ({what} at character {_position.ToString(CultureInfo.InvariantCulture)})");
    }
}
