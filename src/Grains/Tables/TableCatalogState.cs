namespace InMemoryDb.Grains.Tables;

/// <summary>The persisted state of the <see cref="TableCatalogGrain"/>.</summary>
public sealed class TableCatalogState
{
    /// <summary>Tables that ever held a record (built-in ones are implied).</summary>
    public SortedSet<string> Tables { get; set; } = new(StringComparer.Ordinal);
}
