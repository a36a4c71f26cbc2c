namespace InMemoryDb.Questions;

/// <summary>A page of questions in id order.</summary>
/// <param name="Questions">The questions.</param>
/// <param name="NextAfter">The question id to pass as <c>after</c> for the next page, or null on the last page.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.question-page")]
public sealed record QuestionPage(
    [property: Id(0)] IReadOnlyList<QuestionSnapshot> Questions,
    [property: Id(1)] long? NextAfter);
