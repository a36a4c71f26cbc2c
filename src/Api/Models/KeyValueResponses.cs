using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models;

/// <summary>A key with its value.</summary>
public sealed record KeyValueItem(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value);

/// <summary>The answer to <c>GET /api?key=</c>: the pair and where it was served from (<c>memory</c> or <c>postgres</c>).</summary>
public sealed record KeyValueGetResponse(
    [property: JsonPropertyName("data")] KeyValueItem Data,
    [property: JsonPropertyName("source")] string Source);

/// <summary>The answer to <c>GET /api/all</c>: the pairs in key order.</summary>
public sealed record KeyValueListResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<KeyValueItem> Data);

/// <summary>The answer to a put or delete: <c>stored</c>, <c>deleted</c> or <c>ignored</c>, and the operation's timestamp.</summary>
public sealed record KeyValueWriteResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] string Timestamp);

/// <summary>The body of <c>PUT /api</c>.</summary>
public sealed record KeyValuePutRequest(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("timestamp")] string? Timestamp);
