using System.Text.Json;
using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models;

/// <summary>A record as returned by the API (the OpenAPI shape; responses are written by <c>RecordJson</c>).</summary>
public sealed record RecordResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("version")] long Version);

/// <summary>The body of a create or update: <c>{"data": {...}}</c>.</summary>
public sealed record DataRequest([property: JsonPropertyName("data")] JsonElement Data);

/// <summary>A table with its exact record count.</summary>
public sealed record TableResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("schema")] string Schema);

/// <summary>An event of the log.</summary>
public sealed record EventResponse(
    [property: JsonPropertyName("position")] long Position,
    [property: JsonPropertyName("event_id")] Guid EventId,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("entity")] string Entity,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("content")] JsonElement Content,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("correlation_id")] string CorrelationId);

/// <summary>The health of the service.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("storage")] string Storage);
