using System.Globalization;
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
        writer.WriteString("created_at"u8, Timestamp(record.CreatedAt));
        writer.WriteString("updated_at"u8, Timestamp(record.UpdatedAt));
        writer.WriteNumber("version"u8, record.Version);
        writer.WriteEndObject();
    }

    /// <summary><paramref name="record"/> as a JSON string.</summary>
    public static string ToJson(RecordSnapshot record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + record.DataJson.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, record);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A timestamp as ISO-8601 UTC with microseconds, e.g. <c>2026-11-27T10:50:21.123456Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
