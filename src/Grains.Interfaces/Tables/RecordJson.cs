using System.Text.Encodings.Web;
using System.Text.Json;

namespace InMemoryDb.Tables;

/// <summary>The JSON shape of a record: <c>{"id","table","data","created_at","updated_at","version"}</c>.</summary>
public static class RecordJson
{
    /// <summary>Writer options for record JSON: UTF-8 text is written as is ("José", not "Jos\u00E9").</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Serializer options with the same encoder, for JSON stored or returned by the service.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.General) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="record"/> as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, RecordSnapshot record)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, record.Id);
        writer.WriteString("table"u8, record.Table);
        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(record.DataJson, skipInputValidation: true);
        Span<byte> timestamp = stackalloc byte[TimestampLength];
        FormatTimestamp(record.CreatedAt, timestamp);
        writer.WriteString("created_at"u8, timestamp);
        FormatTimestamp(record.UpdatedAt, timestamp);
        writer.WriteString("updated_at"u8, timestamp);
        writer.WriteNumber("version"u8, record.Version);
        writer.WriteEndObject();
    }

    /// <summary><paramref name="record"/> as a JSON string.</summary>
    public static string ToJson(RecordSnapshot record)
        => JsonScratch.ToJson(record, Write, WriterOptions);

    /// <summary>A timestamp as ISO-8601 UTC with microseconds, e.g. <c>2026-11-27T10:50:21.123456Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[TimestampLength];
        FormatTimestamp(value, text);
        return System.Text.Encoding.ASCII.GetString(text);
    }

    /// <summary>The length of <see cref="Timestamp"/>'s text.</summary>
    private const int TimestampLength = 27;

    /// <summary>
    /// <see cref="Timestamp"/> into <paramref name="text"/> (ASCII), as the format string
    /// <c>yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'</c> would write it, without parsing a format for every value: a dump or
    /// a join writes two per record.
    /// </summary>
    private static void FormatTimestamp(DateTimeOffset value, Span<byte> text)
    {
        var utc = value.UtcDateTime;
        Digits(text[..4], utc.Year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = (byte)'.';
        Digits(text.Slice(20, 6), (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10));
        text[26] = (byte)'Z';
    }

    private static void Digits(Span<byte> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
