namespace InMemoryDb.Grains.Questions;

/// <summary>One partition's share of a user's score; shares add up exactly (question ids are merged as a set).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.partial-score")]
public sealed record PartialScore(
    [property: Id(0)] long Attempts,
    [property: Id(1)] long Correct,
    [property: Id(2)] IReadOnlyList<long> CorrectQuestionIds);
