using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InMemoryDb.Grains.Tables;

/// <summary>Extracts a top-level field of a record's JSON as a canonical join key.</summary>
public static class JoinKeys
{
    /// <summary>The outcome of looking a field up.</summary>
    public readonly record struct Lookup(bool Present, string? Key);

    /// <summary>The canonical key of a record id (ids are strings).</summary>
    public static string ForId(string id) => "s:" + id;

    /// <summary>
    /// Finds <paramref name="field"/> among the top-level properties of <paramref name="dataJson"/>.
    /// The key is null when the value is JSON null (a null never joins).
    /// </summary>
    public static Lookup Find(string dataJson, string field)
    {
        var bytes = Encoding.UTF8.GetBytes(dataJson);
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(field);
            reader.Read();
            if (match) return new Lookup(true, Canonical(ref reader));
            reader.Skip();
        }
        return default;
    }

    private static string? Canonical(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return "s:" + reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number)
                    ? "n:" + number.ToString("G29", CultureInfo.InvariantCulture)
                    : "n:" + Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "b:true";
            case JsonTokenType.False:
                return "b:false";
            case JsonTokenType.Null:
                return null;
            default:
                using (var value = JsonDocument.ParseValue(ref reader))
                {
                    return "j:" + value.RootElement.GetRawText();
                }
        }
    }
}
