using System.Text;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Grains.Tables;
using Orleans.Runtime;
using Orleans.Storage;

namespace InMemoryDb.Tests.Unit;

public sealed class StorageTests
{
    [Fact]
    public void StateIsStoredAsPlainJsonWithoutTypeNames()
    {
        var json = Encoding.UTF8.GetString(new JsonGrainStateSerializer().Serialize(new UniqueValueState { Owner = "u1" }).ToArray());
        Assert.StartsWith("{\"owner\":\"u1\"", json);
        Assert.DoesNotContain("UniqueValueState", json);
        Assert.DoesNotContain("$type", json);
    }

    [Fact]
    public async Task MemoryStorageChecksVersionsLikeTheDatabase()
    {
        var storage = new InMemoryGrainStorage(new InMemoryDb.Grains.Events.InMemoryEventLogStore());
        var id = GrainId.Create("record", "t/1");
        var first = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "a" } };
        await storage.WriteStateAsync("unique", id, first);
        Assert.Equal("1", first.ETag);

        var stale = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "b" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("unique", id, stale));

        var read = new TestGrainState<UniqueValueState>();
        await storage.ReadStateAsync("unique", id, read);
        Assert.Equal("a", read.State.Owner);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task MemoryStorageScansOneScopeAndPartition()
    {
        var storage = new InMemoryGrainStorage(new InMemoryDb.Grains.Events.InMemoryEventLogStore());
        var ids = Enumerable.Range(0, 200).Select(i => $"id{i}").ToArray();
        foreach (var id in ids)
        {
            await storage.WriteStateAsync("unique", GrainId.Create("x", $"scope/{id}"), new TestGrainState<UniqueValueState> { State = new() { Owner = id } });
            await storage.WriteStateAsync("unique", GrainId.Create("x", $"other/{id}"), new TestGrainState<UniqueValueState> { State = new() { Owner = id } });
        }

        var found = new List<string>();
        for (var p = 0; p < InMemoryDb.Grains.Partitioning.Count; p++)
        {
            await foreach (var (key, state) in storage.ScanAsync<UniqueValueState>("unique", "scope", p))
            {
                Assert.Equal(p, InMemoryDb.Grains.Partitioning.Of(state.Owner!));
                found.Add(key);
            }
        }
        Assert.Equal(ids.Select(i => $"scope/{i}").Order(), found.Order());
    }
}
