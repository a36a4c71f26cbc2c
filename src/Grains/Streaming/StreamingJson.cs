using System.Text.Json;
using System.Text.Json.Serialization;
using InMemoryDb.Streaming;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// The JSON of the platform's entities, the same in replies, status records and event contents: snake_case names
/// (<c>data_criacao</c>), dates as <c>AAAA-MM-DD</c>, a catalogue item's details as the object it was given.
/// </summary>
public static class StreamingJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new ConteudoConverter() },
    };

    /// <summary>The JSON of <paramref name="value"/>.</summary>
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Writes a catalogue item with its details as an object (<c>detalhes</c>) rather than a string.</summary>
    private sealed class ConteudoConverter : JsonConverter<Conteudo>
    {
        public override Conteudo Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return new Conteudo(
                root.GetProperty("conteudo_id").GetInt64(),
                root.GetProperty("titulo").GetString()!,
                root.GetProperty("tipo").GetString()!,
                root.GetProperty("categoria").GetString()!,
                root.TryGetProperty("detalhes", out var details) && details.ValueKind == JsonValueKind.Object ? details.GetRawText() : null,
                root.GetProperty("atualizado_em").GetDateTimeOffset(),
                root.TryGetProperty("expira_em", out var expires) && expires.ValueKind == JsonValueKind.String ? expires.GetDateTimeOffset() : null);
        }

        public override void Write(Utf8JsonWriter writer, Conteudo value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("conteudo_id", value.ConteudoId);
            writer.WriteString("titulo", value.Titulo);
            writer.WriteString("tipo", value.Tipo);
            writer.WriteString("categoria", value.Categoria);
            writer.WritePropertyName("detalhes");
            if (value.DetalhesJson is { } details) writer.WriteRawValue(details, skipInputValidation: true);
            else writer.WriteStartObject();
            if (value.DetalhesJson is null) writer.WriteEndObject();
            writer.WriteString("atualizado_em", value.AtualizadoEm);
            if (value.ExpiraEm is { } expires) writer.WriteString("expira_em", expires);
            else writer.WriteNull("expira_em");
            writer.WriteEndObject();
        }
    }
}
