using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>The body of <c>POST /question</c> (the OpenAPI shape; bodies are read field by field for seed-style 422s).</summary>
public sealed record QuestionRequest(
    [property: JsonPropertyName("question_id")] long QuestionId,
    [property: JsonPropertyName("question_text")] string QuestionText,
    [property: JsonPropertyName("alternativa_a")] string AlternativaA,
    [property: JsonPropertyName("alternativa_b")] string AlternativaB,
    [property: JsonPropertyName("alternativa_c")] string AlternativaC,
    [property: JsonPropertyName("alternativa_d")] string AlternativaD,
    [property: JsonPropertyName("alternativa_correta")] string AlternativaCorreta,
    [property: JsonPropertyName("dificuldade")] string Dificuldade,
    [property: JsonPropertyName("assunto")] string Assunto);
