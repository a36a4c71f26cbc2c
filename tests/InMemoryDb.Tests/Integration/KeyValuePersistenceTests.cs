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
    public async Task EachAcknowledgedChangeIsLoggedOnceAcrossARestart()
    {
        var serviceId = "kvstop-" + Guid.NewGuid().ToString("N")[..12];
        Guid logged;
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            Assert.Equal("stored", (await client.PutAsync("a", "1")).Status);
            // The event was written with the state; readers see it once every transaction older than it has ended.
            var events = await Eventually.Poll(() => client.EventsAsync(e => (string)e["key"]! == "a"), e => e.Length >= 1);
            logged = Guid.Parse((string)Assert.Single(events)["event_id"]!);
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();
        var read = await again.GetKeyAsync("a");
        Assert.Equal(("1", "postgres"), (read.Value, read.Source));
        Assert.Equal("stored", (await again.PutAsync("a", "2")).Status);
        var all = await Eventually.Poll(() => again.EventsAsync(e => (string)e["key"]! == "a"), e => e.Length >= 2);
        Assert.Equal(2, all.Length);
        Assert.Equal(logged, Guid.Parse((string)all[0]["event_id"]!));
    }
}
