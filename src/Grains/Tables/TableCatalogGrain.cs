namespace InMemoryDb.Grains.Tables;

/// <summary>The table catalogue (one per cluster). A table is registered by its partitions before its first record is acknowledged.</summary>
public sealed class TableCatalogGrain(
    [PersistentState("catalog", ProviderNames.Storage)] IPersistentState<TableCatalogState> state) : Grain, ITableCatalogGrain
{
    /// <inheritdoc />
    public Task<bool> ExistsAsync(string table)
        => Task.FromResult(TableSchemas.BuiltIn.Contains(table) || state.State.Tables.Contains(table));

    /// <inheritdoc />
    public async Task RegisterAsync(string table)
    {
        if (TableSchemas.BuiltIn.Contains(table) || state.State.Tables.Contains(table)) return;
        state.State.Tables.Add(table);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Tables.Remove(table);
            throw;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TableInfo>> ListAsync()
        => CountAsync(state.State.Tables.Union(TableSchemas.BuiltIn).Order(StringComparer.Ordinal).ToArray());

    /// <inheritdoc />
    public async Task<TablePage> ListAsync(string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, ITableCatalogGrain.MaxPageSize);
        var names = state.State.Tables.Union(TableSchemas.BuiltIn)
            .Where(n => after is null || string.CompareOrdinal(n, after) > 0)
            .Order(StringComparer.Ordinal)
            .Take(limit + 1)
            .ToArray();
        var page = await CountAsync(names.Take(limit).ToArray());
        return new TablePage(page, names.Length > limit ? page[^1].Name : null);
    }

    private async Task<IReadOnlyList<TableInfo>> CountAsync(string[] names)
    {
        var counts = await Task.WhenAll(names.Select(n => GrainFactory.GetGrain<ITableGrain>(n).CountAsync()));
        return names.Select((n, i) => new TableInfo(n, counts[i], TableSchemas.Describe(n))).ToArray();
    }
}
