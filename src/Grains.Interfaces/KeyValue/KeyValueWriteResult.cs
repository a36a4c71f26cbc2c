namespace InMemoryDb.KeyValue;

/// <summary>The result of a put or delete.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Timestamp">The operation's timestamp (the given one, or the one the grain assigned).</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-write-result")]
public sealed record KeyValueWriteResult(
    [property: Id(0)] KeyValueWriteStatus Status,
    [property: Id(1)] DateTimeOffset Timestamp);
