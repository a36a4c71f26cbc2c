using System.Diagnostics;
using InMemoryDb.Events;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Events.Streams;
using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>
/// An in-process cluster of one silo with the service's grains (and its event-log stream provider), in memory or on
/// the test PostgreSQL under a service id of its own, and an Orleans client that can subscribe to the event log.
/// </summary>
public sealed class EventLogStreamCluster : IAsyncDisposable
{
    private EventLogStreamCluster(InProcessTestCluster cluster, string serviceId)
    {
        Cluster = cluster;
        ServiceId = serviceId;
    }

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The service id (what the events are stored under in PostgreSQL).</summary>
    public string ServiceId { get; }

    /// <summary>The cluster's Orleans client.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>The event log of the (first active) silo.</summary>
    public IEventLogStore Store => Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<IEventLogStore>();

    /// <summary>The event log as the client sees it.</summary>
    public IAsyncStream<EventEnvelope> Stream => Client.GetStreamProvider(EventStreams.ProviderName).GetStream<EventEnvelope>(EventStreams.Log);

    /// <summary>Starts a cluster; <paramref name="postgres"/> null keeps everything in memory.</summary>
    public static Task<EventLogStreamCluster> StartAsync(string? postgres, params (string Key, string Value)[] settings)
        => StartAsync(1, postgres, settings);

    /// <summary>Starts a cluster of <paramref name="silos"/> silos; <paramref name="postgres"/> null keeps everything in memory.</summary>
    public static async Task<EventLogStreamCluster> StartAsync(short silos, string? postgres, params (string Key, string Value)[] settings)
    {
        var serviceId = "streams-" + Guid.NewGuid().ToString("N")[..12];
        var values = new Dictionary<string, string?> { ["InMemoryDb:Passwords:Iterations"] = "1000", ["ConnectionStrings:Postgres"] = postgres };
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) => silo.AddInMemoryDbGrains(configuration));
        builder.ConfigureClient(client => client.AddEventLogStreams());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new EventLogStreamCluster(cluster, serviceId);
    }

    /// <summary>The index among the active silos of the one that reads the log (owns the provider's queue).</summary>
    public Task<int> ReaderIndexAsync()
        => Eventually.Poll(
            () => Task.FromResult(Cluster.GetActiveSilos().ToList().FindIndex(silo =>
                ((EventLogAdapterFactory)Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredKeyedService<IQueueAdapterFactory>(EventStreams.ProviderName)).ReadsTheLog)),
            index => index >= 0);

    /// <summary>Kills a silo at once (no graceful stop; the first one by default) and drops the client with it.</summary>
    public async Task KillSiloAsync(int index = 0)
    {
        await Cluster.StopClusterClientAsync();
        await Cluster.KillSiloAsync(Cluster.GetActiveSilos().ElementAt(index));
    }

    /// <summary>A new client (after <see cref="KillSiloAsync"/>), once the cluster knows the killed silo is dead.</summary>
    public async Task StartClientAsync()
    {
        await Cluster.InitializeClientAsync();
        await Cluster.WaitForLivenessToStabilizeAsync(didKill: true);
    }

    /// <summary>Starts a new silo and a new client (after <see cref="KillSiloAsync"/>).</summary>
    public async Task StartSiloAsync()
    {
        await Cluster.StartAdditionalSiloAsync();
        await Cluster.InitializeClientAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>An event for the tests (a key-value change).</summary>
    public static EventEnvelope NewEvent(string key)
        => new(Guid.NewGuid(), EventMethods.PutKey, "kv", key, $$"""{"key":"{{key}}","value":"v"}""", DateTimeOffset.UtcNow, "streams-test", "kv/" + key);
}

/// <summary>A subscriber that records what it receives: position (from the token), event id and when.</summary>
public sealed class RecordingObserver : IAsyncObserver<EventEnvelope>
{
    private readonly Lock _gate = new();
    private readonly List<Received> _received = [];
    private readonly List<Exception> _errors = [];

    /// <summary>One delivery.</summary>
    public sealed record Received(long Position, Guid EventId, long Timestamp);

    /// <summary>What was received so far, in delivery order.</summary>
    public Received[] Snapshot()
    {
        lock (_gate) return [.. _received];
    }

    /// <summary>The errors the stream reported.</summary>
    public Exception[] Errors()
    {
        lock (_gate) return [.. _errors];
    }

    /// <summary>Waits until at least <paramref name="count"/> events arrived.</summary>
    public Task<Received[]> WaitForAsync(int count, TimeSpan? timeout = null)
        => Eventually.Poll(() => Task.FromResult(Snapshot()), r => r.Length >= count, timeout ?? TimeSpan.FromSeconds(60));

    /// <inheritdoc />
    public Task OnNextAsync(EventEnvelope item, StreamSequenceToken? token = null)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate) _received.Add(new Received(token?.SequenceNumber ?? -1, item.EventId, now));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        lock (_gate) _errors.Add(ex);
        return Task.CompletedTask;
    }
}
