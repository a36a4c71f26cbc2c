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
using System.Net;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// The durable event log: events written with their state in one transaction, positions never skipped by a reader
/// paging while writers commit, grouped writes the ADO.NET provider reads back, and the one-time logging of the
/// outboxes an earlier version left in stored states.
/// </summary>
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
        // Readers see a transaction once every older one (of any test on the server) has ended: once a later
        // sentinel is visible, so are all three appends.
        var sentinel = item with { EventId = Guid.NewGuid(), Key = "sentinel" };
        await store.AppendAsync([sentinel]);

        var logged = await Eventually.Poll(() => store.ReadAsync(0, 100), e => e.Any(x => x.Event.EventId == sentinel.EventId));
        Assert.Equal([item.EventId, sentinel.EventId], logged.Select(e => e.Event.EventId));
        Assert.Equal("""{"a": 1}""", logged[0].Event.ContentJson);
    }

    [Fact]
    public async Task EventsOfADatabaseWrittenByTheEarlierVersionAreLoggedOnceAtStartUp()
    {
        // A database as the earlier version left it: key and record states whose stored outboxes hold events, one of
        // them logged already (its writer confirmed it), the others not (the silo died before its log writer ran).
        await using var database = new TestDatabase("inmemorydb_legacy_");
        await PostgresSchema.EnsureAsync(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        var serviceId = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var (logged, unlogged, unloggedRecord) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            // The earlier version's row shapes (captured from a database it wrote), and its sequence-numbered log.
            await using var setup = new NpgsqlCommand($$"""
                DELETE FROM inmemorydb_migrations;
                INSERT INTO event_log (position, service_id, event_id, method, entity, key, content, correlation_id, source, created_at)
                VALUES (1, '{{serviceId}}', '{{logged}}', 'put_key', 'kv', 'k1', '{"key":"k1","value":"v1"}', 'c1', 'keyvalue/kv/k1', now());
                INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
                VALUES (0, 0, 0, 0, 'kv', 'kv/k1', '{{serviceId}}', convert_to('{"key":"k1","exists":true,"value":"v1","timestamp":"2026-12-07T15:52:15.376723+00:00","version":1,"outbox":[{"event_id":"{{logged}}","method":"put_key","entity":"kv","key":"k1","content_json":"{\"key\":\"k1\",\"value\":\"v1\",\"timestamp\":\"2026-12-07T15:52:15.3767230Z\"}","timestamp":"2026-12-07T15:52:15.3767231+00:00","correlation_id":"c1","source":"keyvalue/kv/k1"}]}', 'UTF8'), now(), 1),
                       (0, 0, 0, 0, 'kv', 'kv/k2', '{{serviceId}}', convert_to('{"key":"k2","exists":true,"value":"v2","timestamp":"2026-12-07T15:52:16+00:00","version":2,"outbox":[{"event_id":"{{unlogged}}","method":"put_key","entity":"kv","key":"k2","content_json":"{\"key\":\"k2\",\"value\":\"v2\",\"timestamp\":\"2026-12-07T15:52:16.0000000Z\"}","timestamp":"2026-12-07T15:52:16.0000001+00:00","correlation_id":"c2","source":"keyvalue/kv/k2"}]}', 'UTF8'), now(), 2),
                       (0, 0, 0, 0, 'record', 'users/u1', '{{serviceId}}', convert_to('{"exists":true,"data":{"id":"u1"},"version":1,"outbox":[{"event_id":"{{unloggedRecord}}","method":"create_record","entity":"users","key":"u1","content_json":"{\"id\":\"u1\"}","timestamp":"2026-12-07T15:52:17+00:00","correlation_id":"c3","source":"record/users/u1"}]}', 'UTF8'), now(), 1);
                """, connection);
            await setup.ExecuteNonQueryAsync();
        }

        // Start-up migrates once; a second start finds it done and logs nothing again.
        await PostgresSchema.EnsureAsync(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        await PostgresSchema.EnsureAsync(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var store = new PostgresEventLogStore(dataSource, Options.Create(new ClusterOptions { ServiceId = serviceId }));
        var events = await Eventually.Poll(() => store.ReadAsync(0, 100), e => e.Count >= 3);
        Assert.Equal([logged, unlogged, unloggedRecord], events.Select(e => e.Event.EventId));
        Assert.Equal(1, events[0].Position);
        Assert.True(events[1].Position > events[0].Position && events[2].Position > events[1].Position);
        Assert.Equal(("put_key", "kv", "k2", "c2"), (events[1].Event.Method, events[1].Event.Entity, events[1].Event.Key, events[1].Event.CorrelationId));
        Assert.Contains("\"value\": \"v2\"", events[1].Event.ContentJson);
    }

    [Fact]
    public async Task AReaderNeverPassesAnEventThatCommitsLaterWithALowerPosition()
    {
        await EnsureSchemaAsync();
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        var serviceId = "horizon-" + Guid.NewGuid().ToString("N")[..8];
        var store = new PostgresEventLogStore(dataSource, Options.Create(new ClusterOptions { ServiceId = serviceId }));
        var insert = $$"""
            INSERT INTO event_log (position, service_id, event_id, method, entity, key, content, correlation_id, source, created_at)
            VALUES ({{EventPositions.PositionSql("0")}}, '{{serviceId}}', $1, 'm', 'e', $2, '{}', 'c', 's', now())
            """;

        // A writer takes its transaction id (so its position) first and commits last.
        await using var slow = await dataSource.OpenConnectionAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        var slowId = Guid.NewGuid();
        await using (var early = new NpgsqlCommand(insert, slow, transaction))
        {
            early.Parameters.Add(new NpgsqlParameter { Value = slowId });
            early.Parameters.Add(new NpgsqlParameter { Value = "slow" });
            await early.ExecuteNonQueryAsync();
        }
        var fastId = Guid.NewGuid();
        await using (var fast = dataSource.CreateCommand(insert))
        {
            fast.Parameters.Add(new NpgsqlParameter { Value = fastId });
            fast.Parameters.Add(new NpgsqlParameter { Value = "fast" });
            await fast.ExecuteNonQueryAsync();
        }

        // The later writer committed, but a reader does not see it while the earlier one is open.
        Assert.Empty(await store.ReadAsync(0, 100));
        Assert.Equal(0, (await store.MeasureAsync(0, 100)).Count);
        await transaction.CommitAsync();
        var read = await Eventually.Poll(() => store.ReadAsync(0, 100), e => e.Count == 2);
        Assert.Equal([slowId, fastId], read.Select(e => e.Event.EventId));
    }

    [Fact]
    public async Task ConcurrentGroupedWritersAndAPagingReaderSeeEveryEventOnceInOrder()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var storage = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);
        var store = factory.Services.GetRequiredService<IEventLogStore>();
        var table = Http.NewTable();
        const int Writers = 16, WritesEach = 40;
        var start = (await store.MeasureAsync(0, int.MaxValue)).LastPosition;

        var written = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var grainId = GrainId.Create("record", $"{table}/w{w}");
            var state = new TestGrainState<RecordState>();
            for (var i = 0; i < WritesEach; i++)
            {
                var item = new EventEnvelope(Guid.NewGuid(), EventMethods.UpdateRecord, table, $"w{w}", $$"""{"i":{{i}}}""", DateTimeOffset.UtcNow, "c", grainId.ToString());
                state.State = new RecordState { Exists = true, Data = JsonDocument.Parse("{}").RootElement, Version = i + 1, Events = [item] };
                await storage.WriteStateAsync(RecordGrain.StateName, grainId, state);
                written.Add(item.EventId);
            }
        })));

        // A reader pages by position while they commit: positions only grow, and nothing is returned twice.
        var seen = new List<LoggedEvent>();
        var after = start;
        while (true)
        {
            var done = writers.IsCompleted;
            var page = await store.ReadAsync(after, 50);
            seen.AddRange(page);
            if (page.Count > 0) after = page[^1].Position;
            if (done && page.Count == 0 && seen.Count(e => e.Event.Entity == table) >= Writers * WritesEach) break;
            if (done && page.Count == 0) await Task.Delay(20);
        }
        await writers;

        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Position < p.Second.Position), "positions grow");
        var ours = seen.Where(e => e.Event.Entity == table).Select(e => e.Event.EventId).ToList();
        Assert.Equal(written.Count, ours.Count);
        Assert.Equal(written.Order(), ours.Order());
        // Each writer's own events are in its write order.
        foreach (var group in seen.Where(e => e.Event.Entity == table).GroupBy(e => e.Event.Key))
        {
            Assert.Equal(Enumerable.Range(0, WritesEach), group.Select(e => JsonDocument.Parse(e.Event.ContentJson).RootElement.GetProperty("i").GetInt32()));
        }
    }

    [Fact]
    public async Task AGroupedWriteIsReadBackByTheAdoNetProviderWithItsVersion()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var grouped = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);
        var adoNet = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.StorageReads);
        Assert.IsType<PostgresGroupCommit>(grouped);

        // String, integer (with and without extension) and Guid keys: rows and hashes as the ADO.NET provider keeps them.
        GrainId[] ids =
        [
            GrainId.Create("record", $"{Http.NewTable()}/r1"),
            GrainId.Create("kv", "kv/ünïcode key"),
            GrainId.Create(GrainType.Create("record"), GrainIdKeyExtensions.CreateIntegerKey(42)),
            GrainId.Create(GrainType.Create("record"), GrainIdKeyExtensions.CreateIntegerKey(43, "ext")),
            GrainId.Create(GrainType.Create("record"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid())),
            GrainId.Create(GrainType.Create("record"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "ext")),
        ];
        foreach (var id in ids)
        {
            var state = new TestGrainState<RecordState> { State = new RecordState { Exists = true, Data = JsonDocument.Parse("""{"n":1}""").RootElement, Version = 1 } };
            await grouped.WriteStateAsync(RecordGrain.StateName, id, state);
            state.State = new RecordState { Exists = true, Data = JsonDocument.Parse("""{"n":2}""").RootElement, Version = 2 };
            await grouped.WriteStateAsync(RecordGrain.StateName, id, state);
            Assert.Equal("2", state.ETag);

            var read = new TestGrainState<RecordState>();
            await adoNet.ReadStateAsync(RecordGrain.StateName, id, read);
            Assert.True(read.RecordExists, $"row of {id}");
            Assert.Equal("2", read.ETag);
            Assert.Equal(2, read.State.Data!.Value.GetProperty("n").GetInt32());

            // The ADO.NET provider writes on from the version read; a stale grouped write is refused, changing nothing.
            read.State.Version = 3;
            await adoNet.WriteStateAsync(RecordGrain.StateName, id, read);
            Assert.Equal("3", read.ETag);
            await Assert.ThrowsAsync<InconsistentStateException>(() => grouped.WriteStateAsync(RecordGrain.StateName, id, state));
        }
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
}
