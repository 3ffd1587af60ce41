// Compiled into both the runtime (net10.0) and the generator (netstandard2.0, linked from its project file), so that a
// file the build accepts loads at run time and the other way round. Keep it to what netstandard2.0 has: no spans, no
// System.Text.Json, no file access (the generator may not touch the disk).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.IO;

/// <summary>One tensor as a safetensors header describes it: data at bytes [Begin, End) of the data section.</summary>
internal sealed record SafetensorsEntry(string Name, string DType, long[] Shape, ulong Begin, ulong End);

/// <summary>A safetensors file that breaks the format; the message says what is wrong, without naming the file.</summary>
internal sealed class SafetensorsFormatException(string problem) : Exception(problem);

/// <summary>
/// A safetensors header, parsed and checked for structure: an 8-byte little-endian length, that many bytes of UTF-8
/// JSON, one object per tensor with exactly <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>, and an optional
/// <c>__metadata__</c> of strings. Any key order, whitespace and padding are accepted; otherwise it is as strict as the
/// reference implementation (names once each, non-negative integers, two offsets).
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's cap on the header, which keeps a corrupt length from allocating gigabytes.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsHeader(List<SafetensorsEntry> entries, Dictionary<string, SafetensorsEntry> byName, Dictionary<string, string> metadata, long dataStart, long dataLength)
    {
        Entries = entries;
        _byName = byName;
        Metadata = metadata;
        DataStart = dataStart;
        DataLength = dataLength;
    }

    /// <summary>The tensors in the header's order.</summary>
    public List<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> pairs (empty if there are none).</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts in the file.</summary>
    public long DataStart { get; }

    public long DataLength { get; }

    /// <summary>The tensor named <paramref name="name"/>, if the header has one.</summary>
    public bool TryGetEntry(string name, out SafetensorsEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>Parses the header of a whole file held in memory.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a well-formed safetensors file.</exception>
    public static SafetensorsHeader Parse(byte[] file)
    {
        int length = HeaderLength(file, file.Length);
        return Parse(file, 8, length, file.Length);
    }

    /// <summary>
    /// The header length that <paramref name="start"/> (the file's first 8 bytes, or all of a shorter file) gives, checked
    /// against the format's limit and <paramref name="fileLength"/>.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file is too short, or the length is corrupt.</exception>
    public static int HeaderLength(byte[] start, long fileLength)
    {
        if (fileLength < 8 || start.Length < 8)
        {
            throw Invalid($"the file is {fileLength} bytes long, too short for the 8-byte header length that starts a safetensors file");
        }

        ulong headerLength = 0;
        for (int i = 7; i >= 0; i--)
        {
            headerLength = (headerLength << 8) | start[i];
        }

        if (headerLength > MaxHeaderLength)
        {
            throw Invalid($"the header length is {headerLength} bytes, more than the format's limit of {MaxHeaderLength}: the header length is corrupt or this is not a safetensors file");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw Invalid($"the header length is {headerLength} bytes but only {fileLength - 8} bytes follow it: the file is truncated or its header length is corrupt");
        }

        if (headerLength < 2)
        {
            throw Invalid($"the header length is {headerLength} bytes, too short for a JSON object");
        }

        return (int)headerLength;
    }

    /// <summary>
    /// Parses the <paramref name="length"/> bytes of header JSON at <paramref name="offset"/> in <paramref name="bytes"/>,
    /// of a file of <paramref name="fileLength"/> bytes (the length as <see cref="HeaderLength"/> checked it).
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The header is not a well-formed safetensors header.</exception>
    public static SafetensorsHeader Parse(byte[] bytes, int offset, int length, long fileLength)
    {
        if (bytes[offset] != (byte)'{')
        {
            throw Invalid("the header does not start with '{', so it is not a safetensors JSON header");
        }

        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, offset, length);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("the header is not valid UTF-8");
        }

        List<KeyValuePair<string, object?>> root = new JsonReader(json).ReadDocument();
        var entries = new List<SafetensorsEntry>(root.Count);
        var byName = new Dictionary<string, SafetensorsEntry>(root.Count, StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        bool sawMetadata = false;
        foreach (KeyValuePair<string, object?> property in root)
        {
            if (property.Key == MetadataKey)
            {
                if (sawMetadata)
                {
                    throw Invalid($"the header names \"{property.Key}\" twice");
                }

                sawMetadata = true;
                ReadMetadata(property.Value, metadata);
            }
            else if (byName.ContainsKey(property.Key))
            {
                throw Invalid($"the header names \"{property.Key}\" twice");
            }
            else
            {
                SafetensorsEntry entry = ReadEntry(property.Key, property.Value);
                entries.Add(entry);
                byName.Add(entry.Name, entry);
            }
        }

        long dataStart = 8L + length;
        return new SafetensorsHeader(entries, byName, metadata, dataStart, fileLength - dataStart);
    }

    private static void ReadMetadata(object? value, Dictionary<string, string> metadata)
    {
        if (value is not List<KeyValuePair<string, object?>> pairs)
        {
            throw Invalid($"{MetadataKey} is a JSON {Kind(value)}, but it must be an object of strings");
        }

        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            if (pair.Value is not string text)
            {
                throw Invalid($"{MetadataKey}.{pair.Key} is a JSON {Kind(pair.Value)}, but metadata values must be strings");
            }

            if (metadata.ContainsKey(pair.Key))
            {
                throw Invalid($"{MetadataKey} names \"{pair.Key}\" twice");
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
            if (items[i] is not JsonNumber { Integer: { } n })
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

    private static SafetensorsFormatException Invalid(string problem) => new(problem);

    /// <summary>A JSON number: its value if it is a non-negative integer up to <see cref="long.MaxValue"/> (the only numbers read), and where it is written.</summary>
    private sealed class JsonNumber(string source, int start, int length, ulong? integer)
    {
        /// <summary>The value, if a whole number from 0 to long.MaxValue: shapes are small, and offsets fit in a long in any real file, so a larger one is corrupt anyway.</summary>
        public ulong? Integer { get; } = integer;

        public string Text => source.Substring(start, length);
    }

    /// <summary>
    /// A strict reader of one JSON document (RFC 8259): objects become ordered lists of pairs (so duplicates can be
    /// refused), arrays lists, strings strings, numbers <see cref="JsonNumber"/>, and true/false/null themselves.
    /// </summary>
    private sealed class JsonReader(string text)
    {
        private const int MaxDepth = 64; // System.Text.Json's default
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
                if (AtEnd('}', "expected ',' or '}' in an object"))
                {
                    return pairs;
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
                if (AtEnd(']', "expected ',' or ']' in an array"))
                {
                    return items;
                }
            }
        }

        /// <summary>After a member: true at the closing bracket, false at a comma, an error otherwise.</summary>
        private bool AtEnd(char close, string otherwise)
        {
            SkipWhitespace();
            char next = Peek();
            _position++;
            return next == close || (next == ',' ? false : throw Error(otherwise));
        }

        private string ReadString()
        {
            _position++; // the opening quote

            // Names, dtypes and keys rarely hold an escape: take those as they stand, without a builder.
            int start = _position;
            while (_position < text.Length && text[_position] is not ('"' or '\\') && text[_position] >= ' ')
            {
                _position++;
            }

            if (_position < text.Length && text[_position] == '"')
            {
                return text.Substring(start, _position++ - start);
            }

            var value = new StringBuilder(text, start, _position - start, 16);
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
                    case 'u':
                        value.Append(ReadCodeUnit());
                        break;
                    default:
                        throw Error("an invalid escape in a string");
                }
            }
        }

        /// <summary>The code unit of a \u escape (after the u); a surrogate must come as a \u-escaped pair, as UTF-16 requires.</summary>
        private string ReadCodeUnit()
        {
            char high = ReadHex();
            if (!char.IsSurrogate(high))
            {
                return high.ToString();
            }

            if (char.IsHighSurrogate(high) && string.CompareOrdinal(text, _position, "\\u", 0, 2) == 0)
            {
                _position += 2;
                char low = ReadHex();
                if (char.IsLowSurrogate(low))
                {
                    return new string(new[] { high, low });
                }
            }

            throw Error("an unpaired surrogate escape in a string");
        }

        private char ReadHex()
        {
            if (_position + 4 > text.Length
                || !ushort.TryParse(text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
            {
                throw Error("an invalid escape in a string");
            }

            _position += 4;
            return (char)code;
        }

        private JsonNumber ReadNumber()
        {
            int start = _position;
            bool negative = Peek() == '-';
            if (negative)
            {
                _position++;
            }

            ulong value = 0;
            bool fits = true;
            if (Peek() == '0')
            {
                _position++;
            }
            else if (!Digits(ref value, ref fits))
            {
                throw Error("a number without digits");
            }

            bool whole = true;
            if (Peek() == '.')
            {
                _position++;
                whole = false;
                if (!Digits(ref value, ref fits))
                {
                    throw Error("a number with no digits after its '.'");
                }
            }

            if (Peek() is 'e' or 'E')
            {
                _position++;
                whole = false;
                if (Peek() is '+' or '-')
                {
                    _position++;
                }

                if (!Digits(ref value, ref fits))
                {
                    throw Error("a number with no digits in its exponent");
                }
            }

            return new JsonNumber(text, start, _position - start, !negative && whole && fits ? value : null);
        }

        /// <summary>Reads a run of digits into <paramref name="value"/>, which stops fitting past long.MaxValue; false if there are none.</summary>
        private bool Digits(ref ulong value, ref bool fits)
        {
            int start = _position;
            while (_position < text.Length && text[_position] >= '0' && text[_position] <= '9')
            {
                uint digit = (uint)(text[_position] - '0');
                fits = fits && value <= (ulong)(long.MaxValue - digit) / 10;
                value = fits ? (value * 10) + digit : 0;
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

        private SafetensorsFormatException Error(string what) =>
            Invalid($"the header is not valid JSON ({what} at character {_position.ToString(CultureInfo.InvariantCulture)})");
    }
}
