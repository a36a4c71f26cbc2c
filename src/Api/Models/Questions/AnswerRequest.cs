using System.Text.Json.Serialization;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>The body of <c>POST /answer</c> (the OpenAPI shape).</summary>
public sealed record AnswerRequest(
    [property: JsonPropertyName("question_id")] long QuestionId,
    [property: JsonPropertyName("alternativa_escolhida")] string AlternativaEscolhida,
    [property: JsonPropertyName("datahora")] string Datahora,
    [property: JsonPropertyName("usuario")] string Usuario,
    [property: JsonPropertyName("nro_tentativa")] long NroTentativa);
