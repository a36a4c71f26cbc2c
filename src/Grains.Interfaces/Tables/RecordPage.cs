namespace InMemoryDb.Tables;

/// <summary>A page of a table's records in id order (ordinal).</summary>
/// <param name="Records">The records.</param>
/// <param name="NextAfter">The id to pass as <c>after</c> for the next page, or null on the last page.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.record-page")]
public sealed record RecordPage(
    [property: Id(0)] IReadOnlyList<RecordSnapshot> Records,
    [property: Id(1)] string? NextAfter);
