using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>One error of a FastAPI-style 422: where (<c>["body", "field"]</c>), what, and its kind.</summary>
public sealed record FieldError(
    [property: JsonPropertyName("loc")] IReadOnlyList<object> Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);
