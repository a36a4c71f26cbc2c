using InMemoryDb.KeyValue;

namespace InMemoryDb.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class KeyValueGrainTests(ClusterFixture fixture)
{
    private IKeyValueGrain Grain(string key) => fixture.Client.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key));

    [Fact]
    public async Task AGrainServesOnlyItsOwnKey()
    {
        var key = $"own-{Guid.NewGuid():N}";
        var outcome = await Grain(key).PutAsync("another key", "v", null);
        Assert.Equal(OutcomeKind.BadRequest, outcome.Kind);
        Assert.Null(await Grain(key).GetAsync());
        Assert.Null(await Grain("another key").GetAsync());
    }

    [Fact]
    public async Task GrainsCheckKeysAndValuesThemselves()
    {
        var tooLong = new string('x', KeyValueKeys.MaxKeyLength + 1);
        Assert.Equal(OutcomeKind.Invalid, (await Grain(tooLong).PutAsync(tooLong, "v", null)).Kind);
        var key = $"value-{Guid.NewGuid():N}";
        Assert.Equal(OutcomeKind.Invalid, (await Grain(key).PutAsync(key, "a\0b", null)).Kind);
        Assert.Null(await Grain(key).GetAsync());
    }

    [Fact]
    public async Task IgnoredWritesReportTheIgnoredKindAndChangeNothing()
    {
        var key = $"kind-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(OutcomeKind.Ok, (await Grain(key).PutAsync(key, "new", now)).Kind);
        var stale = await Grain(key).DeleteAsync(key, now.AddSeconds(-1));
        Assert.Equal(OutcomeKind.Ignored, stale.Kind);
        Assert.Equal(KeyValueWriteStatus.Ignored, stale.Value!.Status);
        var read = await Grain(key).GetAsync();
        Assert.Equal(("new", now), (read!.Entry.Value, read.Timestamp));
        Assert.False(read.LoadedFromStorage);
        Assert.Equal(1, (await fixture.Client.GetGrain<IKeyValueStoreGrain>(0).ListAsync(key[..^1], 1)).Value!.Entries.Count(e => e.Key == key));
    }
}
