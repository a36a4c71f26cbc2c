using System.Text.Json.Serialization;
using InMemoryDb.Questions;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>A question as seed 000 returns it.</summary>
public sealed record QuestionResponse(
    [property: JsonPropertyName("question_id")] long QuestionId,
    [property: JsonPropertyName("question_text")] string QuestionText,
    [property: JsonPropertyName("alternativa_a")] string AlternativaA,
    [property: JsonPropertyName("alternativa_b")] string AlternativaB,
    [property: JsonPropertyName("alternativa_c")] string AlternativaC,
    [property: JsonPropertyName("alternativa_d")] string AlternativaD,
    [property: JsonPropertyName("alternativa_correta")] string AlternativaCorreta,
    [property: JsonPropertyName("dificuldade")] string Dificuldade,
    [property: JsonPropertyName("assunto")] string Assunto)
{
    /// <summary>The response for a stored question.</summary>
    public static QuestionResponse From(QuestionSnapshot q) => new(
        q.QuestionId, q.QuestionText, q.AlternativaA, q.AlternativaB, q.AlternativaC, q.AlternativaD, q.AlternativaCorreta, q.Dificuldade, q.Assunto);
}
