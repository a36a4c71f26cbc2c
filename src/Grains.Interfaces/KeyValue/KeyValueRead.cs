namespace InMemoryDb.KeyValue;

/// <summary>The answer to a read of one key.</summary>
/// <param name="Entry">The key and its value.</param>
/// <param name="Timestamp">The timestamp of the operation that wrote the value.</param>
/// <param name="LoadedFromStorage">
/// True when this read activated the key's grain, which loaded the value from durable storage (PostgreSQL);
/// false when the grain was already active and served it from memory (always false in memory-only mode).
/// </param>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-read")]
public sealed record KeyValueRead(
    [property: Id(0)] KeyValueEntry Entry,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] bool LoadedFromStorage);
