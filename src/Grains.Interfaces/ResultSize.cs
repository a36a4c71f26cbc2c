namespace InMemoryDb;

/// <summary>How large a whole answer would be: its items and its JSON size in bytes (UTF-8, estimated from the stored JSON).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.result-size")]
public sealed record ResultSize(
    [property: Id(0)] long Count,
    [property: Id(1)] long Bytes);
