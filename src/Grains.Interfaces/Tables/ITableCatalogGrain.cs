namespace InMemoryDb.Tables;

/// <summary>The catalogue of tables that ever held a record (plus the built-in ones). One per cluster, key <see cref="Key"/>.</summary>
public interface ITableCatalogGrain : IGrainWithStringKey
{
    /// <summary>The catalogue's grain key.</summary>
    const string Key = "tables";

    /// <summary>True when the table is built in or ever held a record.</summary>
    [AlwaysInterleave]
    Task<bool> ExistsAsync(string table);

    /// <summary>Adds a table to the catalogue (idempotent, durable before it returns).</summary>
    Task RegisterAsync(string table);

    /// <summary>The largest page of <see cref="ListAsync(string, int)"/>.</summary>
    const int MaxPageSize = 1000;

    /// <summary>Every table with its exact record count, by name (counting asks every partition of every table: for operators' tools, not clients).</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TableInfo>> ListAsync();

    /// <summary>Up to <paramref name="limit"/> (1–<see cref="MaxPageSize"/>) tables named after <paramref name="after"/> (ordinal), with their exact counts.</summary>
    [AlwaysInterleave]
    Task<TablePage> ListAsync(string? after, int limit);
}
