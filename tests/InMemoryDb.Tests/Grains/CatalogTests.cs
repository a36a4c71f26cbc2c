using InMemoryDb.Tables;

namespace InMemoryDb.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class CatalogTests(ClusterFixture fixture)
{
    [Fact]
    public async Task RegisteredTablesExistAndBuiltInsAlwaysDo()
    {
        var catalog = fixture.Client.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key);
        var table = Http.NewTable();
        Assert.False(await catalog.ExistsAsync(table));
        await catalog.RegisterAsync(table);
        Assert.True(await catalog.ExistsAsync(table));
        Assert.True(await catalog.ExistsAsync("users"));
        Assert.True(await catalog.ExistsAsync("orders"));
        Assert.Contains(await catalog.ListAsync(), t => t.Name == table && t.Count == 0);
    }
}
