namespace InMemoryDb.Grains.KeyValue;

/// <summary>A page of one key-value index partition.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-index-page")]
public sealed record KeyValueIndexPage(
    [property: Id(0)] IReadOnlyList<KeyValueEntry> Entries,
    [property: Id(1)] bool HasMore);
