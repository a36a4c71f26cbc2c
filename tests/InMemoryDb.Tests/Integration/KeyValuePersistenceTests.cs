using System.Net;
using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.KeyValue;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace InMemoryDb.Tests.Integration;

/// <summary>The key-value store on a persistent single node: values and tombstones survive a restart, reads say where they came from, and a graceful stop does not rewrite every grain.</summary>
public sealed class KeyValuePersistenceTests
{
    [Fact]
    public async Task ReadsAfterARestartComeFromPostgresFirstThenFromMemory()
    {
        var serviceId = "kv-" + Guid.NewGuid().ToString("N")[..12];
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            Assert.Equal("stored", (await client.PutAsync("kept", "value")).Status);
            Assert.Equal("memory", (await client.GetKeyAsync("kept")).Source);
            Assert.Equal("stored", (await client.PutAsync("gone", "value", "2030-01-01T00:00:00Z")).Status);
            Assert.Equal("deleted", (await client.DeleteKeyAsync("gone", "2030-01-01T00:00:01Z")).Status);
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();
        var read = await again.GetKeyAsync("kept");
        Assert.Equal(("value", "postgres"), (read.Value, read.Source));
        Assert.Equal("memory", (await again.GetKeyAsync("kept")).Source);
        Assert.Equal([("kept", "value")], await again.ListAllAsync());

        Assert.Equal("ignored", (await again.PutAsync("gone", "late", "2030-01-01T00:00:00.5Z")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetKeyAsync("gone")).Code);
        Assert.Equal("postgres", (await (await again.GetAsync("/health")).JsonAsync())["storage"]!.GetValue<string>());
    }

    [Fact]
    public async Task AGracefulStopDoesNotRewriteGrainsAndTheirEventsStayLoggedOnce()
    {
        var serviceId = "kvstop-" + Guid.NewGuid().ToString("N")[..12];
        Guid logged;
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            Assert.Equal("stored", (await client.PutAsync("a", "1")).Status);
            var events = await Eventually.Poll(() => client.EventsAsync(e => (string)e["key"]! == "a"), e => e.Length == 1);
            logged = Guid.Parse((string)events[0]["event_id"]!);
            // The log writer confirms an event to its grain right after storing it; give that call time to arrive, so
            // the grain holds a confirmed event that its stored outbox still lists when the silo stops.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // The stop did not write the grain again: its stored outbox still lists the (confirmed) event.
        Assert.Equal([logged], await StoredOutboxAsync(serviceId, "a"));

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();
        var read = await again.GetKeyAsync("a");
        Assert.Equal(("1", "postgres"), (read.Value, read.Source));
        // The activation published the stored event again; the next change of the key is logged after it (one stream
        // per key, in change order), so once that one is in the log the first one was de-duplicated, not logged twice.
        Assert.Equal("stored", (await again.PutAsync("a", "2")).Status);
        var all = await Eventually.Poll(() => again.EventsAsync(e => (string)e["key"]! == "a"), e => e.Length >= 2);
        Assert.Equal(2, all.Length);
        Assert.Single(all, e => Guid.Parse((string)e["event_id"]!) == logged);
    }

    /// <summary>The event ids in the stored outbox of <paramref name="key"/>'s grain, read as the index partitions read it.</summary>
    private static async Task<Guid[]> StoredOutboxAsync(string serviceId, string key)
    {
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        var scanner = new PostgresGrainStateScanner(dataSource, Options.Create(new ClusterOptions { ServiceId = serviceId }));
        var partition = KeyValueIndexGrain.PartitionOf(KeyValueKeys.GrainKey(key));
        var ids = new List<Guid>();
        await foreach (var (_, state) in scanner.ScanAsync<KeyValueState>(KeyValueGrain.StateName, KeyValueKeys.Scope, partition))
        {
            if (state.Key == key) ids.AddRange(state.Outbox.Select(e => e.EventId));
        }
        return [.. ids];
    }
}
