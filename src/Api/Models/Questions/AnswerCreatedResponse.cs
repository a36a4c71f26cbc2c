using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>The body of a recorded attempt: <c>{"message": "Answer created", "is_correct": bool}</c>.</summary>
public sealed record AnswerCreatedResponse(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("is_correct")] bool IsCorrect);
