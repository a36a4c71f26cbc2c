using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>Seed 000's (FastAPI's) 422 body: <c>{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}</c>.</summary>
public sealed record ValidationErrorResponse([property: JsonPropertyName("detail")] IReadOnlyList<FieldError> Detail);
