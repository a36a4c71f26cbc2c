namespace InMemoryDb.KeyValue;

/// <summary>A page of the key-value store in key order (ordinal).</summary>
/// <param name="Entries">The keys with their values.</param>
/// <param name="NextAfter">The key to pass as <c>after</c> for the next page, or null on the last page.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-page")]
public sealed record KeyValuePage(
    [property: Id(0)] IReadOnlyList<KeyValueEntry> Entries,
    [property: Id(1)] string? NextAfter);
