using InMemoryDb.Grains;
using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Grains.Pessoas;
using InMemoryDb.KeyValue;
using InMemoryDb.Pessoas;
using Orleans.Runtime;

namespace InMemoryDb.Tests.Grains;

/// <summary>The shared protocol of the index partitions (<see cref="ProjectionPartitionGrain{TState, TItem}"/>) on the integer-keyed ones.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProjectionPartitionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AKeyValuePartitionDropsStaleVersionsAndReconcilesOncePerDeadSilo()
    {
        var key = $"partition-{Guid.NewGuid():N}";
        var grainKey = KeyValueKeys.GrainKey(key);
        var partition = fixture.Client.GetGrain<IKeyValueIndexGrain>(KeyValueIndexGrain.PartitionOf(grainKey));
        Assert.True(await partition.IsLoadedAsync()); // active and loaded before storage changes behind its back
        async Task<string?> ValueAsync() => (await partition.PageAsync(null, null, long.MaxValue)).Entries.SingleOrDefault(e => e.Key == key)?.Value;
        var storage = fixture.SiloService<InMemoryGrainStorage>();
        var stored = new TestGrainState<KeyValueState>();
        async Task StoreAsync(long version, string value)
        {
            stored.State = new KeyValueState { Key = key, Exists = true, Value = value, Version = version };
            await storage.WriteStateAsync(KeyValueGrain.StateName, GrainId.Create("kv", grainKey), stored);
        }

        await partition.ApplyAsync(key, 2, new KeyValueChange("two", 0));
        await partition.ApplyAsync(key, 1, new KeyValueChange("one", 0));
        await partition.ApplyAsync(key, 2, new KeyValueChange("two again", 0));
        Assert.Equal("two", await ValueAsync());

        // A key grain on a dead silo committed version 3 and died before applying it here.
        await StoreAsync(3, "three");
        await partition.ReconcileAsync("S127.0.0.1:2:1");
        Assert.Equal("three", await ValueAsync());

        await StoreAsync(4, "four");
        await partition.ReconcileAsync("S127.0.0.1:2:1");
        Assert.Equal("three", await ValueAsync());
        await partition.ReconcileAsync("S127.0.0.1:3:1");
        Assert.Equal("four", await ValueAsync());

        await partition.ApplyAsync(key, 5, null);
        Assert.Null(await ValueAsync());
    }

    [Fact]
    public async Task APeoplePartitionIndexesAPersonItMissedAndEachPersonOnce()
    {
        var apelido = $"p{Guid.NewGuid():N}"[..20];
        var id = PessoaKeys.Format(PessoaIds.ForApelido(apelido));
        var partition = fixture.Client.GetGrain<IPessoaIndexGrain>(Partitioning.Of(id));
        var before = await partition.CountAsync();

        // A person grain on a dead silo wrote the person and died before adding it here.
        await fixture.SiloService<InMemoryGrainStorage>().WriteStateAsync(PessoaGrain.StateName, GrainId.Create("pessoa", PessoaKeys.Scope + "/" + id), new TestGrainState<PessoaState>
        {
            State = new PessoaState { Apelido = apelido, Nome = "Ana", Nascimento = "2000-01-01", Stack = ["C#"], CreatedAt = DateTimeOffset.UtcNow },
        });
        await partition.ReconcileAsync("S127.0.0.1:4:1");
        Assert.Equal(before + 1, await partition.CountAsync());
        var found = Assert.Single(await partition.SearchAsync(apelido, 50));
        Assert.Equal(id, found.Id);

        await partition.AddAsync(found);
        await partition.ReconcileAsync("S127.0.0.1:5:1");
        Assert.Equal(before + 1, await partition.CountAsync());
    }
}
