using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>Seed 000's (FastAPI's) error body: <c>{"detail": "..."}</c>.</summary>
public sealed record DetailResponse([property: JsonPropertyName("detail")] string Detail);
