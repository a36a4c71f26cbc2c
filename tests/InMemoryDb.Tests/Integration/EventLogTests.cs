using System.Text.Json;
using InMemoryDb.Events;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace InMemoryDb.Tests.Integration;

/// <summary>The durable event log: idempotent appends, and outbox recovery after a crash between state write and publish.</summary>
public sealed class EventLogTests
{
    [Fact]
    public async Task DuplicatedDeliveryInsertsOneRow()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await EnsureSchemaAsync();
        var store = new PostgresEventLogStore(dataSource, Options.Create(new ClusterOptions { ServiceId = "dedupe-" + Guid.NewGuid().ToString("N")[..12] }));
        var item = new EventEnvelope(Guid.NewGuid(), EventMethods.CreateRecord, "t", "k", """{"a":1}""", DateTimeOffset.UtcNow, "corr", "record/t/k");

        await store.AppendAsync([item]);
        await store.AppendAsync([item, item]);
        await store.AppendAsync([item with { ContentJson = """{"a":2}""" }]);

        var logged = await store.ReadAsync(0, 100);
        Assert.Single(logged);
        Assert.Equal(item.EventId, logged[0].Event.EventId);
        Assert.Equal("""{"a": 1}""", logged[0].Event.ContentJson);
        Assert.Empty(await store.MissingAsync([item.EventId]));
    }

    [Fact]
    public async Task OutboxEventIsRepublishedOnActivationAfterACrash()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        var client = factory.CreateClient();
        await client.GetAsync("/health");
        var table = Http.NewTable();
        var pending = await WriteCrashedRecordAsync(factory, table, "crashed");

        // Reading the record activates its grain, which publishes what its stored outbox holds.
        var response = await client.GetAsync($"/api/v1/data/{table}/crashed");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var events = await Eventually.Poll(
            async () => (await (await client.GetAsync("/api/v1/events?limit=10000")).JsonAsync()).AsArray(),
            e => e.Any(x => (string)x!["event_id"]! == pending.EventId.ToString()));
        Assert.Single(events, x => (string)x!["event_id"]! == pending.EventId.ToString());
    }

    [Fact]
    public async Task OutboxEventOfANeverReadRecordIsLoggedAtStartup()
    {
        var serviceId = "recover-" + Guid.NewGuid().ToString("N")[..12];
        var table = Http.NewTable();
        EventEnvelope pending;
        await using (var crashed = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = crashed.CreateClient();
            await client.CreateAsync(table, new { id = "seen", a = 1 });
            pending = await WriteCrashedRecordAsync(crashed, table, "unseen");
        }

        await using var restarted = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = restarted.CreateClient();
        var events = await Eventually.Poll(
            async () => (await (await again.GetAsync("/api/v1/events?limit=10000")).JsonAsync()).AsArray(),
            e => e.Any(x => (string)x!["event_id"]! == pending.EventId.ToString()));
        Assert.Single(events, x => (string)x!["event_id"]! == pending.EventId.ToString());
        var dump = (await (await again.GetAsync($"/api/v1/dump/{table}")).JsonAsync()).AsArray();
        Assert.Equal(["seen", "unseen"], dump.Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task DatabasePartitionFunctionMatchesTheGrains()
    {
        await EnsureSchemaAsync();
        var ids = Enumerable.Range(0, 500).Select(i => i % 3 == 0 ? $"ünï-{i}" : Guid.NewGuid().ToString()).Append("a/b/c").ToArray();
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT inmemorydb_key_partition('t/' || id), inmemorydb_key_scope('t/' || id) FROM unnest($1::text[]) AS id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        await using var reader = await command.ExecuteReaderAsync();
        var index = 0;
        while (await reader.ReadAsync())
        {
            Assert.Equal(Partitioning.Of(ids[index]), reader.GetInt32(0));
            Assert.Equal("t", reader.GetString(1));
            index++;
        }
        Assert.Equal(ids.Length, index);
    }

    [Fact]
    public async Task SchemaIsAppliedIdempotentlyAndCreatesTheDatabase()
    {
        await using var database = new TestDatabase("inmemorydb_fresh_");
        await PostgresSchema.EnsureAsync(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            PostgresSchema.EnsureAsync(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None)));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
        Assert.Equal(3L, await command.ExecuteScalarAsync());
    }

    private static Task EnsureSchemaAsync()
        => PostgresSchema.EnsureAsync(TestEnvironment.Postgres, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

    /// <summary>Writes a record's state with an unpublished event through the real ADO.NET provider, as a silo that died right after its state write leaves it.</summary>
    private static async Task<EventEnvelope> WriteCrashedRecordAsync(ApiFactory factory, string table, string id)
    {
        var key = TableNames.RecordKey(table, id);
        var grainId = GrainId.Create("record", key);
        var now = DateTimeOffset.UtcNow;
        var snapshot = new RecordSnapshot(table, id, """{"id":"crashed-write"}""", now, now, 1);
        var pending = new EventEnvelope(Guid.NewGuid(), EventMethods.CreateRecord, table, id, RecordJson.ToJson(snapshot), now, "corr-crash", grainId.ToString());
        var storage = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);
        await storage.WriteStateAsync(RecordGrain.StateName, grainId, new TestGrainState<RecordState>
        {
            State = new RecordState
            {
                Exists = true,
                Data = JsonDocument.Parse(snapshot.DataJson).RootElement,
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
                Outbox = [pending],
            },
        });
        return pending;
    }
}
