using System.Diagnostics;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.KeyValue;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// Group commit, counted: concurrent writes of many grains travel to PostgreSQL together, so a durable write costs well
/// under one transaction. A count, not a timing: PostgreSQL's own <c>xact_commit</c> of a database of the test's own.
/// </summary>
public sealed class GroupCommitTests(ITestOutputHelper output)
{
    private const int Writers = 16;
    private const int WritesEach = 60;

    [Fact]
    public async Task SixteenConcurrentWritersCostAtMostHalfATransactionPerAcknowledgedWrite()
    {
        await using var database = new TestDatabase("inmemorydb_xact_");
        await using var factory = new ApiFactory(database.ConnectionString);
        var client = factory.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        var storage = Assert.IsType<PostgresGroupCommit>(factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage));
        var keys = Enumerable.Range(0, Writers).Select(i => $"gc{i}").ToArray();
        foreach (var key in keys) Assert.Equal(OutcomeKind.Ok, (await grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key)).PutAsync(key, "warm", null)).Kind);

        // PostgreSQL publishes a backend's counters when it idles (at most once a second) or exits: closing the
        // pool's idle connections makes every transaction so far visible.
        var idleStart = await CommittedAsync(database, dataSource);
        var idleWatch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var loadStart = await CommittedAsync(database, dataSource);
        var idleSeconds = idleWatch.Elapsed.TotalSeconds;
        var (batches, writes) = (storage.Batches, storage.Writes);

        var loadWatch = Stopwatch.StartNew();
        var acknowledged = (await Task.WhenAll(keys.Select(async key =>
        {
            var grain = grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key));
            var done = 0;
            for (var i = 0; i < WritesEach; i++)
            {
                if ((await grain.PutAsync(key, $"v{i}", null)).Kind == OutcomeKind.Ok) done++;
            }
            return done;
        }))).Sum();
        var loadSeconds = loadWatch.Elapsed.TotalSeconds;
        var loadEnd = await CommittedAsync(database, dataSource);

        var idle = (loadStart - idleStart) / idleSeconds * loadSeconds;
        var perWrite = (loadEnd - loadStart - idle) / acknowledged;
        var batchesPerWrite = (double)(storage.Batches - batches) / (storage.Writes - writes);
        output.WriteLine($"acknowledged={acknowledged} xact_commit={loadEnd - loadStart} idle≈{idle:F1} per write={perWrite:F3} batches per write={batchesPerWrite:F3} in {loadSeconds:F1}s");
        Assert.Equal(Writers * WritesEach, acknowledged);
        Assert.Equal(acknowledged, storage.Writes - writes);
        Assert.True(batchesPerWrite <= 0.5, $"{batchesPerWrite:F3} batches per write");
        Assert.True(perWrite <= 0.5, $"{perWrite:F3} transactions per acknowledged write");
    }

    /// <summary>The database's committed transactions, once the pool's idle backends have exited and published theirs.</summary>
    private static async Task<double> CommittedAsync(TestDatabase database, NpgsqlDataSource dataSource)
    {
        dataSource.Clear();
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        await using var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = "postgres" }.ConnectionString);
        await maintenance.OpenAsync();
        // Wait until the closed backends are gone (they publish their counters as they exit).
        for (var i = 0; i < 50; i++)
        {
            await using var active = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'idle'", maintenance);
            active.Parameters.Add(new NpgsqlParameter { Value = name });
            if ((long)(await active.ExecuteScalarAsync())! == 0) break;
            await Task.Delay(20);
        }
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = $1", maintenance);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
