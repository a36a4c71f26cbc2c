namespace InMemoryDb.Questions;

/// <summary>An answer attempt as a client submits it (seed 000's <c>POST /answer</c> body).</summary>
/// <param name="QuestionId">The answered question.</param>
/// <param name="AlternativaEscolhida">The chosen alternative: a letter a–d (any case) or the text of an alternative.</param>
/// <param name="Datahora">When the user answered, an ISO-8601 date-time, kept as submitted.</param>
/// <param name="Usuario">The user (1–100 characters, no '/' or control characters).</param>
/// <param name="NroTentativa">The attempt number (≥ 1); with usuario and question id it identifies the attempt.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.answer-input")]
public sealed record AnswerInput(
    [property: Id(0)] long QuestionId,
    [property: Id(1)] string AlternativaEscolhida,
    [property: Id(2)] string Datahora,
    [property: Id(3)] string Usuario,
    [property: Id(4)] long NroTentativa);
