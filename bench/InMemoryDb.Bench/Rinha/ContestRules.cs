using System.Globalization;
using System.Text.Json;

namespace InMemoryDb.Bench.Rinha;

/// <summary>
/// The contest's rules for <c>POST /pessoas</c>, written independently of the service, so the generator knows how
/// many people the service must have stored: a body creates a person when it is a JSON object whose apelido
/// (1–32 characters) and nome (1–100) are strings, nascimento a string <c>AAAA-MM-DD</c> naming a real day, stack
/// absent, null or an array of strings of 1–32 characters — and no earlier body created its apelido.
/// </summary>
public sealed class ContestRules
{
    private readonly HashSet<string> _apelidos = new(StringComparer.Ordinal);

    /// <summary>How many bodies created a person so far.</summary>
    public int Created => _apelidos.Count;

    /// <summary>Applies one body sent to the service; true when it creates a person.</summary>
    public bool Accept(string body) => Apelido(body) is { } apelido && _apelidos.Add(apelido);

    /// <summary>The apelido of a valid body, or null when the body breaks a rule (uniqueness aside).</summary>
    public static string? Apelido(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (Text(root, "apelido", 32) is not { } apelido) return null;
            if (Text(root, "nome", 100) is null) return null;
            if (Text(root, "nascimento", 10) is not { } nascimento || !IsDate(nascimento)) return null;
            if (root.TryGetProperty("stack", out var stack) && stack.ValueKind != JsonValueKind.Null)
            {
                if (stack.ValueKind != JsonValueKind.Array) return null;
                foreach (var item in stack.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || Length(item.GetString()!) is < 1 or > 32) return null;
                }
            }
            return apelido;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name, int max)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
           && value.GetString() is { } text && Length(text) is >= 1 and var length && length <= max
            ? text
            : null;

    private static int Length(string text) => text.EnumerateRunes().Count();

    private static bool IsDate(string text)
        => text.Length == 10 && text[4] == '-' && text[7] == '-'
           && text.Where((c, i) => i is not (4 or 7)).All(char.IsAsciiDigit)
           && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
