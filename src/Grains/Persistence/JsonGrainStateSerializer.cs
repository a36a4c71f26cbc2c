using System.Text.Json;
using Orleans.Storage;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// Stores grain state as plain UTF-8 JSON (System.Text.Json, snake_case) with no .NET type names in it:
/// the grain that reads the state names the type, so renaming or moving a state class never orphans
/// stored data, and the rows can be read with SQL (<c>convert_from(payloadbinary, 'UTF8')::jsonb</c>).
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    /// <summary>The options used for every state type.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input) => Deserialize<T>(input.ToMemory().Span);

    /// <summary>Reads a state from its stored bytes.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json)
        => JsonSerializer.Deserialize<T>(utf8Json, Options)
           ?? throw new JsonException($"Stored state of type {typeof(T).Name} is null.");
}
