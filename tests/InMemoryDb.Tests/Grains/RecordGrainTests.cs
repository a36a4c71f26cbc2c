using System.Text.Json.Nodes;
using InMemoryDb.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Tables;
using Orleans.Runtime;
using Orleans.Storage;

namespace InMemoryDb.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class RecordGrainTests(ClusterFixture fixture)
{
    private IRecordGrain Record(string table, string id) => fixture.Client.GetGrain<IRecordGrain>(TableNames.RecordKey(table, id));

    private static string UserJson(string email) => $$"""{"email":"{{email}}","full_name":"Ann","password":"12345678"}""";

    [Fact]
    public async Task CreateThenGetReturnsSameRecord()
    {
        var table = Http.NewTable();
        var created = await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"name":"x","tags":[1,2]}""");
        Assert.Equal(OutcomeKind.Created, created.Kind);
        var read = await Record(table, created.Value!.Id).GetAsync();
        Assert.Equal(created.Value, read);
        Assert.Equal(1, read!.Version);
    }

    [Fact]
    public async Task GivenIdIsUsedAndCannotBeReused()
    {
        var table = Http.NewTable();
        var first = await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"id":"r1","v":1}""");
        var second = await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"id":"r1","v":2}""");
        Assert.Equal("r1", first.Value!.Id);
        Assert.Equal(OutcomeKind.Conflict, second.Kind);
        Assert.Equal("""{"id":"r1","v":1}""", (await Record(table, "r1").GetAsync())!.DataJson);
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneIdHaveOneWinner()
    {
        for (var round = 0; round < 20; round++)
        {
            var table = Http.NewTable();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                fixture.Client.GetGrain<ITableGrain>(table).CreateAsync($$"""{"id":"same","n":{{i}}}""")));
            Assert.Single(outcomes, o => o.Kind == OutcomeKind.Created);
            Assert.Equal(3, outcomes.Count(o => o.Kind == OutcomeKind.Conflict));
            Assert.Equal(1, await fixture.Client.GetGrain<ITableGrain>(table).CountAsync());
        }
    }

    [Fact]
    public async Task ConcurrentUsersWithOneEmailHaveOneWinner()
    {
        for (var round = 0; round < 10; round++)
        {
            var email = $"dup{Guid.NewGuid():N}@example.com";
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                fixture.Client.GetGrain<ITableGrain>("users").CreateAsync(UserJson(i % 2 == 0 ? email : email.ToUpperInvariant()))));
            Assert.Single(outcomes, o => o.Kind == OutcomeKind.Created);
            Assert.Equal(3, outcomes.Count(o => o.Kind == OutcomeKind.Conflict));
        }
    }

    [Fact]
    public async Task CreatingUnderAFreshIdThatIsTakenAfterAllIsAConflict()
    {
        var table = Http.NewTable();
        await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"id":"taken","v":1}""");
        await fixture.Cluster.DeactivateAsync(Record(table, "taken"));
        var outcome = await fixture.Client.GetGrain<IRecordCreator>(TableNames.RecordKey(table, "taken")).CreateNewAsync("""{"v":2}""");
        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Equal("""{"id":"taken","v":1}""", (await Record(table, "taken").GetAsync())!.DataJson);
    }

    [Fact]
    public async Task UpdateMergesFieldsAndBumpsVersion()
    {
        var table = Http.NewTable();
        var created = (await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"a":1,"b":2,"c":3}""")).Value!;
        var updated = await Record(table, created.Id).UpdateAsync("""{"b":20,"c":null,"d":4}""", expectedVersion: 1);
        Assert.Equal(OutcomeKind.Ok, updated.Kind);
        Assert.Equal(2, updated.Value!.Version);
        Assert.Equal(JsonNode.Parse("""{"a":1,"b":20,"d":4}""")!.ToJsonString(), JsonNode.Parse(updated.Value.DataJson)!.ToJsonString());
        Assert.Equal(created.CreatedAt, updated.Value.CreatedAt);
        Assert.True(updated.Value.UpdatedAt > created.UpdatedAt);
    }

    [Fact]
    public async Task StaleVersionChangesNothing()
    {
        var table = Http.NewTable();
        var created = (await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"a":1}""")).Value!;
        await Record(table, created.Id).UpdateAsync("""{"a":2}""", null);
        var stale = await Record(table, created.Id).UpdateAsync("""{"a":3}""", expectedVersion: 1);
        var staleDelete = await Record(table, created.Id).DeleteAsync(expectedVersion: 1);
        Assert.Equal(OutcomeKind.PreconditionFailed, stale.Kind);
        Assert.Equal(OutcomeKind.PreconditionFailed, staleDelete.Kind);
        var read = await Record(table, created.Id).GetAsync();
        Assert.Equal("""{"a":2}""", read!.DataJson);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task DeleteRemovesFromIndexAndRecreateGetsNewVersion()
    {
        var table = Http.NewTable();
        var tableGrain = fixture.Client.GetGrain<ITableGrain>(table);
        await tableGrain.CreateAsync("""{"id":"k","v":1}""");
        Assert.Equal(1, await tableGrain.CountAsync());
        Assert.Equal(OutcomeKind.Ok, (await Record(table, "k").DeleteAsync(null)).Kind);
        Assert.Null(await Record(table, "k").GetAsync());
        Assert.Equal(0, await tableGrain.CountAsync());
        Assert.Equal(OutcomeKind.NotFound, (await Record(table, "k").DeleteAsync(null)).Kind);

        var again = await tableGrain.CreateAsync("""{"id":"k","v":2}""");
        Assert.Equal(3, again.Value!.Version);
    }

    [Fact]
    public async Task PasswordIsHashedAndNeverReturned()
    {
        var created = await fixture.Client.GetGrain<ITableGrain>("users").CreateAsync(UserJson($"p{Guid.NewGuid():N}@example.com"));
        Assert.DoesNotContain("password", created.Value!.DataJson);
        Assert.DoesNotContain("12345678", created.Value.DataJson);

        var storage = fixture.SiloService<InMemoryGrainStorage>();
        var state = new TestGrainState<RecordState>();
        await storage.ReadStateAsync(RecordGrain.StateName, GrainId.Create("record", $"users/{created.Value.Id}"), state);
        Assert.NotNull(state.State.PasswordHash);
        Assert.DoesNotContain("12345678", state.State.PasswordHash);
        Assert.True(fixture.SiloService<InMemoryDb.Grains.PasswordHashing>().Verify(state.State.PasswordHash!, "12345678"));
        var events = await fixture.Client.GetGrain<IEventLogGrain>(0).ReadAsync(0, 100_000);
        Assert.Contains(events, e => e.Event.Key == created.Value.Id);
        Assert.All(events, e => Assert.DoesNotContain("12345678", e.Event.ContentJson));
    }

    [Fact]
    public async Task EmailCanMoveBetweenUsersAfterChangeOrDelete()
    {
        var users = fixture.Client.GetGrain<ITableGrain>("users");
        var email = $"m{Guid.NewGuid():N}@example.com";
        var first = (await users.CreateAsync(UserJson(email))).Value!;
        var changed = await Record("users", first.Id).UpdateAsync($$"""{"email":"other{{email}}"}""", null);
        Assert.Equal(OutcomeKind.Ok, changed.Kind);
        var second = await users.CreateAsync(UserJson(email));
        Assert.Equal(OutcomeKind.Created, second.Kind);
        Assert.Equal(OutcomeKind.Conflict, (await Record("users", first.Id).UpdateAsync($$"""{"email":"{{email}}"}""", null)).Kind);
        await Record("users", second.Value!.Id).DeleteAsync(null);
        Assert.Equal(OutcomeKind.Ok, (await Record("users", first.Id).UpdateAsync($$"""{"email":"{{email}}"}""", null)).Kind);
    }

    [Fact]
    public async Task OrdersMustReferenceExistingUsers()
    {
        var orders = fixture.Client.GetGrain<ITableGrain>("orders");
        var missing = await orders.CreateAsync("""{"product_name":"W","quantity":1,"total_price":1.5,"user_id":"nobody"}""");
        Assert.Equal(OutcomeKind.Invalid, missing.Kind);
        Assert.Contains("user_id", missing.Errors!.Keys);

        var user = (await fixture.Client.GetGrain<ITableGrain>("users").CreateAsync(UserJson($"o{Guid.NewGuid():N}@example.com"))).Value!;
        var ok = await orders.CreateAsync($$"""{"product_name":"W","quantity":1,"total_price":1.5,"user_id":"{{user.Id}}"}""");
        Assert.Equal(OutcomeKind.Created, ok.Kind);
    }

    [Fact]
    public async Task PartitionsRebuildFromStorageAfterDeactivation()
    {
        var table = Http.NewTable();
        var tableGrain = fixture.Client.GetGrain<ITableGrain>(table);
        for (var i = 0; i < 60; i++) Assert.Equal(OutcomeKind.Created, (await tableGrain.CreateAsync($$"""{"id":"r{{i:D3}}","i":{{i}}}""")).Kind);
        await Record(table, "r000").DeleteAsync(null);
        await Record(table, "r001").UpdateAsync("""{"i":-1}""", null);
        var dump = await tableGrain.DumpAsync(null, null);
        Assert.True(dump.Succeeded, dump.Detail);
        var before = dump.Value!.Records;

        for (var p = 0; p < InMemoryDb.Grains.Partitioning.Count; p++)
        {
            await fixture.Cluster.DeactivateAsync(fixture.Client.GetGrain<ITablePartitionGrain>($"{table}/{p}"));
        }

        var after = (await tableGrain.DumpAsync(null, null)).Value!.Records;
        Assert.Equal(59, after.Count);
        Assert.Equal(before, after);
        Assert.Equal("""{"id":"r001","i":-1}""", after.Single(r => r.Id == "r001").DataJson);
    }

    [Fact]
    public async Task AStateWriteLogsItsEventsWithItOrNotAtAll()
    {
        // The embedded storage stores a state and appends its events under one lock, as PostgreSQL does in one transaction.
        var table = Http.NewTable();
        var key = $"{table}/direct";
        var item = new EventEnvelope(Guid.NewGuid(), EventMethods.CreateRecord, table, "direct", """{"id":"direct"}""",
            DateTimeOffset.UtcNow, "corr-direct", GrainId.Create("record", key).ToString());
        var storage = fixture.SiloService<InMemoryGrainStorage>();
        await storage.WriteStateAsync(RecordGrain.StateName, GrainId.Create("record", key), new TestGrainState<RecordState>
        {
            State = new RecordState { Exists = true, Data = System.Text.Json.JsonDocument.Parse("{}").RootElement, Version = 1, Events = [item] },
        });
        // A write refused for its version logs nothing.
        var refused = item with { EventId = Guid.NewGuid() };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(RecordGrain.StateName, GrainId.Create("record", key), new TestGrainState<RecordState>
        {
            State = new RecordState { Exists = true, Data = System.Text.Json.JsonDocument.Parse("{}").RootElement, Version = 1, Events = [refused] },
        }));

        var logged = await fixture.Client.GetGrain<IEventLogGrain>(0).ReadAsync(0, 100_000);
        Assert.Single(logged, e => e.Event.EventId == item.EventId);
        Assert.DoesNotContain(logged, e => e.Event.EventId == refused.EventId);
    }

    [Fact]
    public async Task PartitionCatchesUpWithAWriteItMissedWhenASiloDies()
    {
        // A record grain on a silo that died wrote its state but never told its (surviving) partition.
        var table = Http.NewTable();
        var tableGrain = fixture.Client.GetGrain<ITableGrain>(table);
        await tableGrain.CreateAsync("""{"id":"seen"}""");
        var id = Enumerable.Range(0, 1000).Select(i => $"missed{i}").First(i => InMemoryDb.Grains.Partitioning.Of(i) == InMemoryDb.Grains.Partitioning.Of("seen"));
        var key = TableNames.RecordKey(table, id);
        var pending = new EventEnvelope(Guid.NewGuid(), EventMethods.CreateRecord, table, id, $$"""{"id":"{{id}}"}""", DateTimeOffset.UtcNow, "corr", GrainId.Create("record", key).ToString());
        await fixture.SiloService<InMemoryGrainStorage>().WriteStateAsync(RecordGrain.StateName, GrainId.Create("record", key), new TestGrainState<RecordState>
        {
            State = new RecordState { Exists = true, Data = System.Text.Json.JsonDocument.Parse("{}").RootElement, Version = 1, Events = [pending] },
        });
        Assert.Equal(1, await tableGrain.CountAsync());

        var partition = fixture.Client.GetGrain<ITablePartitionGrain>($"{table}/{InMemoryDb.Grains.Partitioning.Of(id)}");
        await partition.ReconcileAsync("S127.0.0.1:1:1");

        Assert.Equal(2, await tableGrain.CountAsync());
        Assert.Equal(new[] { "seen", id }.Order(StringComparer.Ordinal), (await tableGrain.DumpAsync(null, null)).Value!.Records.Select(r => r.Id));
        var log = fixture.Client.GetGrain<IEventLogGrain>(0);
        await Eventually.Poll(() => log.ReadAsync(0, 10_000), events => events.Any(e => e.Event.EventId == pending.EventId));
    }

    [Fact]
    public async Task EveryChangeEmitsOneEventWithItsCorrelationId()
    {
        var table = Http.NewTable();
        Correlation.Set("corr-" + table);
        var created = (await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"a":1}""")).Value!;
        await Record(table, created.Id).UpdateAsync("""{"a":2}""", null);
        await Record(table, created.Id).DeleteAsync(null);
        RequestContext.Clear();

        var log = fixture.Client.GetGrain<IEventLogGrain>(0);
        var mine = (await Eventually.Poll(
                () => log.ReadAsync(0, 10_000),
                events => events.Count(e => e.Event.Entity == table) >= 3))
            .Where(e => e.Event.Entity == table).ToArray();
        Assert.Equal([EventMethods.CreateRecord, EventMethods.UpdateRecord, EventMethods.DeleteRecord], mine.Select(e => e.Event.Method));
        Assert.All(mine, e => Assert.Equal("corr-" + table, e.Event.CorrelationId));
        Assert.All(mine, e => Assert.Equal(created.Id, e.Event.Key));
        Assert.True(mine[0].Position < mine[1].Position && mine[1].Position < mine[2].Position);
    }

}
