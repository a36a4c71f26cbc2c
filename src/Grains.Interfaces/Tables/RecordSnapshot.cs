namespace InMemoryDb.Tables;

/// <summary>One record of a table as clients see it.</summary>
/// <param name="Table">The table name.</param>
/// <param name="Id">The record id, unique in its table.</param>
/// <param name="DataJson">The record's fields as a JSON object (never holds a password).</param>
/// <param name="CreatedAt">When the record was created.</param>
/// <param name="UpdatedAt">When the record last changed.</param>
/// <param name="Version">Starts at 1 and grows by one with every change; the HTTP ETag.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.record-snapshot")]
public sealed record RecordSnapshot(
    [property: Id(0)] string Table,
    [property: Id(1)] string Id,
    [property: Id(2)] string DataJson,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] long Version);
