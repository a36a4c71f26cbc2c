namespace InMemoryDb.Tables;

/// <summary>A page of a join's pairs, in (left id, right id) order.</summary>
/// <param name="Pairs">The pairs.</param>
/// <param name="NextAfter">The cursor to pass as <c>after</c> for the next page (<c>{left id}/{right id}</c> of the last pair), or null on the last page.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.join-page")]
public sealed record JoinPage(
    [property: Id(0)] IReadOnlyList<JoinPair> Pairs,
    [property: Id(1)] string? NextAfter);
