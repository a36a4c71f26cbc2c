using System.Text.Json.Serialization;
using InMemoryDb.Questions;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>A user's score.</summary>
public sealed record ScoreResponse(
    [property: JsonPropertyName("usuario")] string Usuario,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("correct_answers")] long CorrectAnswers,
    [property: JsonPropertyName("questions_answered_correctly")] long QuestionsAnsweredCorrectly,
    [property: JsonPropertyName("accuracy")] double Accuracy)
{
    /// <summary>The response for a score.</summary>
    public static ScoreResponse From(UserScore s) => new(s.Usuario, s.Attempts, s.CorrectAnswers, s.QuestionsAnsweredCorrectly, s.Accuracy);
}
