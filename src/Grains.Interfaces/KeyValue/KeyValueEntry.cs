namespace InMemoryDb.KeyValue;

/// <summary>A key with its value.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-entry")]
public sealed record KeyValueEntry(
    [property: Id(0)] string Key,
    [property: Id(1)] string Value);
