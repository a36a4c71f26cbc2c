using InMemoryDb.Grains;
using InMemoryDb.Grains.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace InMemoryDb.Tests.Integration;

/// <summary>Our SQL honours the ADO.NET provider's contract: versions, inserts that must not overwrite, stale writes refused.</summary>
public sealed class GrainStorageTests
{
    [Fact]
    public async Task WritesAreCheckedByVersion()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        factory.CreateClient();
        var storage = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);
        var id = GrainId.Create("unique", $"t/{Guid.NewGuid()}");

        var first = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "a" } };
        await storage.WriteStateAsync("unique", id, first);
        Assert.Equal("1", first.ETag);

        var blindInsert = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "b" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("unique", id, blindInsert));

        first.State.Owner = "c";
        await storage.WriteStateAsync("unique", id, first);
        Assert.Equal("2", first.ETag);

        var stale = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "d" }, ETag = "1" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("unique", id, stale));

        var read = new TestGrainState<UniqueValueState>();
        await storage.ReadStateAsync("unique", id, read);
        Assert.Equal(("c", "2", true), (read.State.Owner, read.ETag, read.RecordExists));

        var missing = new TestGrainState<UniqueValueState>();
        await storage.ReadStateAsync("unique", GrainId.Create("unique", $"t/{Guid.NewGuid()}"), missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);
    }
}
