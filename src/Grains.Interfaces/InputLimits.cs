using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace InMemoryDb;

/// <summary>
/// What the service accepts, decided once for every entity and every caller (the HTTP edge and the grains, which
/// other .NET services call directly): whatever passes is storable in PostgreSQL (<c>jsonb</c> event content, text
/// columns), loggable, readable back through every route and survives a restart. See docs/operations/limits.md.
/// <list type="bullet">
/// <item>Text: valid Unicode (no unpaired surrogate, no invalid UTF-8) without the NUL character U+0000, which
/// PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold. Other control characters are kept (escaped in JSON).</item>
/// <item>JSON values: at most <see cref="MaxDepth"/> levels of nesting (events and pages wrap a value in a few more
/// levels, and every reader of the log must be able to read them back); no duplicate property names in an object;
/// numbers of at most <see cref="MaxNumberLength"/> characters whose value a double holds (no overflow to infinity,
/// no underflow of a non-zero number to zero), so every JSON reader, and <c>jsonb</c>'s numeric, reads them.</item>
/// <item>Timestamps of operations: between <see cref="MinTimestamp"/> and <see cref="MaxTimestamp"/>, so the
/// service can still order an operation after any accepted one.</item>
/// </list>
/// </summary>
public static class InputLimits
{
    /// <summary>The deepest nesting of objects and arrays inside one value (a value that is an object is level 1).</summary>
    public const int MaxDepth = 32;

    /// <summary>The longest number literal, in characters.</summary>
    public const int MaxNumberLength = 100;

    /// <summary>The earliest operation timestamp accepted.</summary>
    public static readonly DateTimeOffset MinTimestamp = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest operation timestamp accepted: a day before the calendar ends, so later operations still fit.</summary>
    public static readonly DateTimeOffset MaxTimestamp = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero).AddTicks(-1);

    /// <summary>The message for text holding U+0000.</summary>
    public const string NulMessage = "must not contain the NUL character (U+0000)";

    /// <summary>The message for text that is not valid Unicode.</summary>
    public const string InvalidUnicodeMessage = "must be valid Unicode (it holds an unpaired surrogate or invalid UTF-8)";

    /// <summary>Null when <paramref name="text"/> (or null) is storable, otherwise why not (a message to put after the field's name).</summary>
    public static string? CheckText(string? text)
    {
        if (text is null) return null;
        var span = text.AsSpan();
        // Fast path: no NUL and no surrogate at all (the common case) is decided by one vectorised search.
        var at = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (span.IndexOf('\0') >= 0) return NulMessage;
        if (at < 0) return null;
        for (var i = at; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) i++;
            else if (char.IsSurrogate(c)) return InvalidUnicodeMessage;
        }
        return null;
    }

    /// <summary>Null when <paramref name="timestamp"/> is in the accepted range, otherwise why not.</summary>
    public static string? CheckTimestamp(DateTimeOffset timestamp)
        => timestamp < MinTimestamp || timestamp > MaxTimestamp
            ? $"must be between {MinTimestamp:yyyy-MM-dd} and {MaxTimestamp:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}"
            : null;

    /// <summary>Checks a JSON value given as text; see <see cref="CheckJson(ReadOnlySpan{byte}, string, int)"/>.</summary>
    public static JsonProblem? CheckJson(string json, string root)
    {
        // Text that is not valid UTF-16 cannot be encoded faithfully: refuse it before encoding replaces anything.
        if (CheckText(json) == InvalidUnicodeMessage) return new JsonProblem(root, InvalidUnicodeMessage, Malformed: true);
        var max = Encoding.UTF8.GetMaxByteCount(json.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            return CheckJson(rented.AsSpan(0, length), root, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Null when <paramref name="utf8Json"/> is one well-formed JSON value within the limits; otherwise the first problem,
    /// with the path of the offending item from <paramref name="root"/> (e.g. <c>data.tags[2]</c>; with an empty root,
    /// paths start at the first property name). <paramref name="wrapperLevels"/> levels of objects around the values
    /// that count (e.g. 1 for a request body <c>{"data": {...}}</c>) do not count toward <see cref="MaxDepth"/>.
    /// </summary>
    public static JsonProblem? CheckJson(ReadOnlySpan<byte> utf8Json, string root, int wrapperLevels = 0)
    {
        var maxDepth = MaxDepth + wrapperLevels;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 2, CommentHandling = JsonCommentHandling.Disallow });
        var path = new PathStack(root);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            return new JsonProblem(path.Current, $"is nested too deeply: at most {MaxDepth} levels of objects and arrays", Malformed: true);
                        }
                        path.Push(reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.Pop();
                        path.Advance();
                        break;
                    case JsonTokenType.PropertyName:
                        path.ClearName();
                        if (ReadString(ref reader, out var name) is { } nameProblem)
                        {
                            return new JsonProblem(path.Current, $"has a property name that {nameProblem.Message}", nameProblem.Malformed);
                        }
                        if (!path.Name(name!))
                        {
                            return new JsonProblem(path.Current, "appears twice in its object: property names must be unique", Malformed: true);
                        }
                        break;
                    case JsonTokenType.String:
                        if (ReadString(ref reader, out _) is { } stringProblem) return stringProblem with { Path = path.Current };
                        path.Advance();
                        break;
                    case JsonTokenType.Number:
                        if (CheckNumber(reader.ValueSpan) is { } numberProblem) return new JsonProblem(path.Current, numberProblem, Malformed: false);
                        path.Advance();
                        break;
                    default:
                        path.Advance();
                        break;
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return new JsonProblem(path.Current, $"is not well-formed JSON: {e.Message}", Malformed: true);
        }
    }

    /// <summary>Null when a number literal is within the limits, otherwise why not.</summary>
    public static string? CheckNumber(ReadOnlySpan<byte> literal)
    {
        if (literal.Length > MaxNumberLength) return $"is a number of more than {MaxNumberLength} characters";
        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsInfinity(value))
        {
            return "is a number too large to store (the largest magnitude is 1.7976931348623157e308)";
        }
        if (value == 0 && HasNonZeroDigit(literal))
        {
            return "is a number too small to store (the smallest non-zero magnitude is 5e-324)";
        }
        return null;
    }

    private static bool HasNonZeroDigit(ReadOnlySpan<byte> literal)
    {
        foreach (var b in literal)
        {
            if (b is (byte)'e' or (byte)'E') return false;
            if (b is >= (byte)'1' and <= (byte)'9') return true;
        }
        return false;
    }

    /// <summary>Reads the current string token; the problem when it is not storable text.</summary>
    private static JsonProblem? ReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (!reader.ValueIsEscaped)
        {
            // Unescaped bytes cannot hold NUL (the reader refuses raw control characters): only UTF-8 validity is left.
            if (!Utf8.IsValid(reader.ValueSpan)) return new JsonProblem("", InvalidUnicodeMessage, Malformed: true);
            if (reader.TokenType == JsonTokenType.PropertyName) value = reader.GetString();
            return null;
        }
        try
        {
            value = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return new JsonProblem("", InvalidUnicodeMessage, Malformed: true);
        }
        return CheckText(value) switch
        {
            null => null,
            NulMessage => new JsonProblem("", NulMessage, Malformed: false),
            var message => new JsonProblem("", message, Malformed: true),
        };
    }

    /// <summary>The path of the item being read, and the property names seen in each open object.</summary>
    private sealed class PathStack(string root)
    {
        private readonly List<Level> _levels = [];

        public string Current
        {
            get
            {
                var text = new StringBuilder(root);
                foreach (var level in _levels)
                {
                    if (level.IsArray) text.Append('[').Append(level.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    else if (level.Property is { } property) (text.Length == 0 ? text : text.Append('.')).Append(property);
                }
                return text.ToString();
            }
        }

        public void Push(bool isArray) => _levels.Add(new Level(isArray));

        public void Pop() => _levels.RemoveAt(_levels.Count - 1);

        /// <summary>Moves past a value: the next array element.</summary>
        public void Advance()
        {
            if (_levels.Count > 0 && _levels[^1].IsArray) _levels[^1].Index++;
        }

        /// <summary>Forgets the innermost object's last property name (the next one is being read).</summary>
        public void ClearName() => _levels[^1].Property = null;

        /// <summary>Names the next property of the innermost object; false when the object already has it.</summary>
        public bool Name(string name)
        {
            var level = _levels[^1];
            level.Property = name;
            return level.Names.Add(name);
        }

        private sealed class Level(bool isArray)
        {
            private HashSet<string>? _names;

            public bool IsArray { get; } = isArray;

            public int Index { get; set; }

            public string? Property { get; set; }

            public HashSet<string> Names => _names ??= new HashSet<string>(StringComparer.Ordinal);
        }
    }
}

/// <summary>Why a JSON value is not accepted.</summary>
/// <param name="Path">Where: the value's name followed by properties and array indexes, e.g. <c>data.tags[2]</c>.</param>
/// <param name="Message">What, to be read after the path (e.g. "must not contain the NUL character (U+0000)").</param>
/// <param name="Malformed">True when the text is not well-formed JSON or Unicode (400); false when a value breaks a limit (422).</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.json-problem")]
public sealed record JsonProblem(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message,
    [property: Id(2)] bool Malformed);
