namespace InMemoryDb.Questions;

/// <summary>A recorded answer attempt, with its correctness decided when it was recorded.</summary>
/// <param name="QuestionId">The answered question.</param>
/// <param name="AlternativaEscolhida">The chosen alternative, as submitted.</param>
/// <param name="Datahora">When the user answered, as submitted.</param>
/// <param name="Usuario">The user.</param>
/// <param name="NroTentativa">The attempt number.</param>
/// <param name="IsCorrect">Whether the chosen alternative was the question's right one when the attempt was recorded.</param>
/// <param name="RecordedAt">When the service recorded it.</param>
/// <param name="Version">Grows with every change of the attempt grain (create, delete), across re-creation.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.answer")]
public sealed record AnswerSnapshot(
    [property: Id(0)] long QuestionId,
    [property: Id(1)] string AlternativaEscolhida,
    [property: Id(2)] string Datahora,
    [property: Id(3)] string Usuario,
    [property: Id(4)] long NroTentativa,
    [property: Id(5)] bool IsCorrect,
    [property: Id(6)] DateTimeOffset RecordedAt,
    [property: Id(7)] long Version);
