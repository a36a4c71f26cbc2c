namespace InMemoryDb.Tables;

/// <summary>A page of the table catalogue, by name.</summary>
/// <param name="Tables">The tables with their counts.</param>
/// <param name="NextAfter">The name to pass as <c>after</c> for the next page, or null on the last page.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.table-page")]
public sealed record TablePage(
    [property: Id(0)] IReadOnlyList<TableInfo> Tables,
    [property: Id(1)] string? NextAfter);
