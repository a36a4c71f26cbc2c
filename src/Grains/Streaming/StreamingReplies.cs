using System.Text.Json;
using InMemoryDb.Streaming;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// The platform's replies: the message and result fields of each operation, the same whether a reply is answered,
/// read from the in-memory status partitions, or rebuilt from a write's event in the log.
/// </summary>
public static class StreamingReplies
{
    /// <summary>What the write events' replies say, and under which member their entity goes.</summary>
    private static readonly Dictionary<string, (string Message, string Member)> Writes = new(StringComparer.Ordinal)
    {
        [StreamingEvents.UserCreated] = ("Usuário criado com sucesso", "usuario"),
        [StreamingEvents.Subscribed] = ("Assinatura criada com sucesso", "assinatura"),
        [StreamingEvents.Paid] = ("Pagamento registrado com sucesso", "pagamento"),
        [StreamingEvents.PreferencesChanged] = ("Preferências atualizadas com sucesso", "config"),
        [StreamingEvents.Viewed] = ("Visualização registrada com sucesso", "visualizacao"),
        [StreamingEvents.Recommended] = ("Recomendações geradas com sucesso", "recomendacoes"),
        [StreamingEvents.SessionStarted] = ("Sessão criada com sucesso", "sessao"),
        [StreamingEvents.SessionTouched] = ("Atividade da sessão registrada", "sessao"),
        [StreamingEvents.SessionEnded] = ("Sessão encerrada", "sessao"),
        [StreamingEvents.ContentPut] = ("Conteúdo armazenado no cache", "conteudo"),
    };

    /// <summary>The message of a write event's reply.</summary>
    public static string MessageOf(string eventType) => Writes.TryGetValue(eventType, out var write) ? write.Message : eventType;

    /// <summary>The reply of a write from its entity (<paramref name="entityJson"/>, as its event carries it).</summary>
    public static string WriteBody(string eventType, string entityJson)
    {
        var member = Writes.TryGetValue(eventType, out var write) ? write.Member : "resultado";
        return Body(writer =>
        {
            writer.WritePropertyName(member);
            writer.WriteRawValue(entityJson, skipInputValidation: true);
            if (eventType == StreamingEvents.Recommended)
            {
                using var document = JsonDocument.Parse(entityJson);
                writer.WriteNumber("total_recomendacoes", document.RootElement.TryGetProperty("itens", out var items) ? items.GetArrayLength() : 0);
            }
        });
    }

    /// <summary>The status record of a write rebuilt from its event (after a restart, or once pushed out of memory).</summary>
    public static StatusReply FromEvent(EventEnvelope change)
        => new(change.CorrelationId, change.Method, change.Timestamp, "success", MessageOf(change.Method), WriteBody(change.Method, change.ContentJson), 200);

    /// <summary>True when <paramref name="eventType"/> is one of the platform's write events.</summary>
    public static bool IsWrite(string eventType) => Writes.ContainsKey(eventType);

    /// <summary>A JSON object with the members <paramref name="members"/> writes.</summary>
    public static string Body(Action<Utf8JsonWriter> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = StreamingJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes member <paramref name="name"/> with <paramref name="value"/> serialized as the platform's JSON.</summary>
    public static void Write<T>(this Utf8JsonWriter writer, string name, T value)
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, StreamingJson.Options);
    }
}
