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

    /// <summary>Every table with its exact record count, by name.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TableInfo>> ListAsync();
}
