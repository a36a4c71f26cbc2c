using System.Text.Json.Serialization;
using InMemoryDb.Questions;

namespace InMemoryDb.Api.Models.Questions;

/// <summary>An answer attempt as seed 000 lists it, with its stored correctness.</summary>
public sealed record AnswerResponse(
    [property: JsonPropertyName("question_id")] long QuestionId,
    [property: JsonPropertyName("alternativa_escolhida")] string AlternativaEscolhida,
    [property: JsonPropertyName("datahora")] string Datahora,
    [property: JsonPropertyName("usuario")] string Usuario,
    [property: JsonPropertyName("nro_tentativa")] long NroTentativa,
    [property: JsonPropertyName("is_correct")] bool IsCorrect)
{
    /// <summary>The response for a recorded attempt.</summary>
    public static AnswerResponse From(AnswerSnapshot a) => new(a.QuestionId, a.AlternativaEscolhida, a.Datahora, a.Usuario, a.NroTentativa, a.IsCorrect);
}
