using System.Globalization;
using System.Text.Json;
using InMemoryDb.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMemoryDb.Api.Streaming;

/// <summary>
/// The fields of a streaming platform request: query-string parameters (as the original took them) and, for writes, the
/// same fields as a JSON object body. A field given both ways must have the same value; a body field the route does not
/// take is refused (a typo must not be silently ignored). Values of the wrong type are refused by field (422); a missing
/// field is null (the grains generate it as the original did).
/// </summary>
public sealed class PlatformInput
{
    private readonly IQueryCollection _query;
    private readonly JsonElement? _body;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private Dictionary<string, string[]>? _errors;

    private PlatformInput(IQueryCollection query, JsonElement? body)
    {
        _query = query;
        _body = body;
    }

    /// <summary>The errors found so far (null: none).</summary>
    public IReadOnlyDictionary<string, string[]>? Errors => _errors;

    /// <summary>Reads the request: its query, and its body when it has one (a JSON object); the problem when the body is not one.</summary>
    public static async Task<(PlatformInput? Input, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request)
    {
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody) return (new PlatformInput(request.Query, null), null);
        var (document, problem) = await JsonBody.ReadAsync(request);
        if (document is null) return (null, problem);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, Problems.BadRequest("The body must be a JSON object of the route's fields."));
            if (InputLimits.CheckJson(root.GetRawText(), "") is { } refused) return (null, Problems.BadRequest($"{(refused.Path.Length == 0 ? "body" : refused.Path)} {refused.Message}."));
            return (new PlatformInput(request.Query, root.Clone()), null);
        }
    }

    /// <summary>A text field.</summary>
    public string? Text(string name) => ReadText(name, static e => e.ValueKind == JsonValueKind.String ? (e.GetString(), null) : (null, "must be a string."), static t => (t, null));

    /// <summary>A whole-number field.</summary>
    public long? Long(string name) => Read<long>(name,
        static e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? (n, null) : (null, "must be a whole number."),
        static t => long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? (n, null) : (null, "must be a whole number."));

    /// <summary>A whole-number field that fits an int.</summary>
    public int? Int(string name) => Long(name) is { } value
        ? value is >= int.MinValue and <= int.MaxValue ? (int)value : (int?)Fail(name, "is out of range.")
        : null;

    /// <summary>A decimal field (a JSON number, or its text in the query).</summary>
    public decimal? Decimal(string name) => Read<decimal>(name,
        static e => e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var d) ? (d, null) : (null, "must be a number."),
        static t => decimal.TryParse(t, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) ? (d, null) : (null, "must be a number such as 29.90."));

    /// <summary>A boolean field (<c>true</c>/<c>false</c>).</summary>
    public bool? Bool(string name) => Read<bool>(name,
        static e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? (e.GetBoolean(), null) : (null, "must be true or false."),
        static t => bool.TryParse(t, out var b) ? (b, null) : (null, "must be true or false."));

    /// <summary>A date field (<c>AAAA-MM-DD</c>).</summary>
    public DateOnly? Date(string name) => Read<DateOnly>(name,
        static e => e.ValueKind == JsonValueKind.String ? ParseDate(e.GetString()!) : (null, "must be a date AAAA-MM-DD."),
        static t => ParseDate(t));

    /// <summary>A JSON object field (body only), as its raw JSON.</summary>
    public string? Object(string name)
    {
        _taken.Add(name);
        if (_query.ContainsKey(name)) return (string?)Fail(name, "must be given in the JSON body (it is an object).");
        if (_body is not { } body || !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Object ? value.GetRawText() : (string?)Fail(name, "must be a JSON object.");
    }

    /// <summary>Refuses field <paramref name="name"/> with <paramref name="message"/> (a rule the front end checks: an id's range).</summary>
    public void Refuse(string name, string message) => Fail(name, message);

    /// <summary>Refuses body fields no getter asked for; call after reading every field.</summary>
    public PlatformInput RefuseUnknownFields()
    {
        if (_body is not { } body) return this;
        foreach (var property in body.EnumerateObject())
        {
            if (!_taken.Contains(property.Name)) Fail(property.Name, "is not a field of this route.");
        }
        return this;
    }

    private T? Read<T>(string name, Func<JsonElement, (T? Value, string? Problem)> fromJson, Func<string, (T? Value, string? Problem)> fromText) where T : struct
        => (T?)ReadCore(name, e => { var (v, p) = fromJson(e); return (v, p); }, t => { var (v, p) = fromText(t); return (v, p); });

    private string? ReadText(string name, Func<JsonElement, (string? Value, string? Problem)> fromJson, Func<string, (string? Value, string? Problem)> fromText)
        => (string?)ReadCore(name, e => fromJson(e), t => fromText(t));

    /// <summary>The field's value from the query or the body (null when absent or refused).</summary>
    private object? ReadCore(string name, Func<JsonElement, (object? Value, string? Problem)> fromJson, Func<string, (object? Value, string? Problem)> fromText)
    {
        _taken.Add(name);
        object? fromQuery = null, fromBody = null;
        var inQuery = _query.TryGetValue(name, out var texts);
        if (inQuery)
        {
            if (texts.Count > 1) return Fail(name, "is given more than once.");
            var (value, problem) = fromText(texts[0] ?? "");
            if (problem is not null) return Fail(name, problem);
            fromQuery = value;
        }
        var inBody = _body is { } body && body.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null;
        if (inBody)
        {
            var (value, problem) = fromJson(_body!.Value.GetProperty(name));
            if (problem is not null) return Fail(name, problem);
            fromBody = value;
        }
        if (inQuery && inBody && !Equals(fromQuery, fromBody)) return Fail(name, "is given in the query and in the body with different values.");
        return inQuery ? fromQuery : fromBody;
    }

    private static (DateOnly?, string?) ParseDate(string text)
        => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? (date, null) : (null, "must be a date AAAA-MM-DD.");

    /// <summary>Records <paramref name="message"/> for <paramref name="name"/>; returns null (the field's value).</summary>
    private object? Fail(string name, string message)
    {
        (_errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal))[name] = [message];
        return null;
    }
}
