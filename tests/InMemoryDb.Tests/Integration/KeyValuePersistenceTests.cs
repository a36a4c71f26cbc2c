using System.Net;
using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.KeyValue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace InMemoryDb.Tests.Integration;

/// <summary>The key-value store on a persistent single node: values and tombstones survive a restart, reads are served while the index loads, listings wait for it, and a graceful stop does not rewrite every grain.</summary>
public sealed class KeyValuePersistenceTests
{
    [Fact]
    public async Task AfterARestartKeysAreReadWhileTheIndexLoadsAndListingsWaitForIt()
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

        // The index's load from storage is held until the gate opens.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId, services: s => GatedScanner.Install(s, gate.Task));
        var again = second.CreateClient();
        var read = await again.GetKeyAsync("kept");
        Assert.Equal(("value", "postgres"), (read.Value, read.Source));
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetKeyAsync("gone")).Code);
        Assert.Equal("stored", (await again.PutAsync("new", "fresh")).Status);
        Assert.Equal(("fresh", "memory"), ((await again.GetKeyAsync("new")).Value, (await again.GetKeyAsync("new")).Source));

        using (var listing = await again.GetAsync("/api/all"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, listing.StatusCode);
            Assert.Equal("1", Assert.Single(listing.Headers.GetValues("Retry-After")));
            Assert.Contains("loading", await listing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var health = await again.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.True(health.Headers.Contains("Retry-After"));
        }

        gate.SetResult();
        await Eventually.Poll(async () => (await again.GetAsync("/health")).StatusCode, code => code == HttpStatusCode.OK);
        Assert.Equal([("kept", "value"), ("new", "fresh")], await again.ListAllAsync());
        Assert.Equal("memory", (await again.GetKeyAsync("kept")).Source);
        Assert.Equal("ignored", (await again.PutAsync("gone", "late", "2030-01-01T00:00:00.5Z")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetKeyAsync("gone")).Code);
        Assert.Equal("postgres", (await (await again.GetAsync("/health")).JsonAsync())["storage"]!.GetValue<string>());
    }

    /// <summary>A scanner whose scans of key-value states wait for a gate (the index's load after a start).</summary>
    private sealed class GatedScanner(IGrainStateScanner inner, Task gate) : IGrainStateScanner
    {
        public static void Install(IServiceCollection services, Task gate)
        {
            var registered = services.Last(d => d.ServiceType == typeof(IGrainStateScanner));
            services.Add(ServiceDescriptor.Singleton<IGrainStateScanner>(sp =>
                new GatedScanner((IGrainStateScanner)(registered.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)), gate)));
        }

        public async IAsyncEnumerable<ScannedState<T>> ScanAsync<T>(string stateName, string scope, int partition, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (stateName == KeyValueGrain.StateName) await gate.WaitAsync(cancellationToken);
            await foreach (var state in inner.ScanAsync<T>(stateName, scope, partition, cancellationToken)) yield return state;
        }
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
        Assert.Equal("1", read.Value);
        Assert.Equal("stored", (await again.PutAsync("a", "2")).Status);
        var all = await Eventually.Poll(() => again.EventsAsync(e => (string)e["key"]! == "a"), e => e.Length >= 2);
        Assert.Equal(2, all.Length);
        Assert.Equal(logged, Guid.Parse((string)all[0]["event_id"]!));
    }
}
