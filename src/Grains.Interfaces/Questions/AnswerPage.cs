namespace InMemoryDb.Questions;

/// <summary>A page of answer attempts, ordered by usuario, question id and attempt number.</summary>
/// <param name="Answers">The attempts.</param>
/// <param name="NextAfter">The cursor to pass as <c>after</c> for the next page (<c>{usuario}/{question_id}/{nro_tentativa}</c> of the last attempt), or null on the last page.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.answer-page")]
public sealed record AnswerPage(
    [property: Id(0)] IReadOnlyList<AnswerSnapshot> Answers,
    [property: Id(1)] string? NextAfter);
