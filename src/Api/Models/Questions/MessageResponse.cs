using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>Seed 000's success body: <c>{"message": "..."}</c>.</summary>
public sealed record MessageResponse([property: JsonPropertyName("message")] string Message);
