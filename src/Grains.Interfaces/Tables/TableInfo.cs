namespace InMemoryDb.Tables;

/// <summary>A table of the catalogue with its exact record count.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.table-info")]
public sealed record TableInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] long Count,
    [property: Id(2)] string Schema);
