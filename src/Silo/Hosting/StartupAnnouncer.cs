using InMemoryDb.Grains;
using InMemoryDb.KeyValue;
using InMemoryDb.Tables;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Says at start-up where data lives, and once the silo is active, in the background, loads the index partitions of
/// every entity kind (<see cref="EntityKinds"/>), so the first request after a restart does not wait for them. A kind
/// that fails to load is logged; its partitions then load on first use.
/// </summary>
internal sealed partial class StartupAnnouncer(InMemoryDbSettings settings, IGrainFactory grains, ILogger<StartupAnnouncer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(StartupAnnouncer), ServiceLifecycleStage.Active, OnActiveAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (settings.IsPersistent)
        {
            LogPersistent(logger, settings.ServiceId);
        }
        else
        {
            LogEmbedded(logger);
        }
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    private Task WarmUpAsync() => Task.WhenAll(EntityKinds.All.Select(async kind =>
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var count = await kind.WarmUpAsync(grains);
            LogWarm(logger, count, kind.Name, watch.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            LogWarmFailed(logger, e, kind.Name);
        }
    }));

    [LoggerMessage(Level = LogLevel.Warning, Message = "EMBEDDED MODE: data is kept in memory only and is LOST when this process stops. " +
        "To persist it, set ConnectionStrings__Postgres (e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=inmemorydb\").")]
    private static partial void LogEmbedded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Persistent mode: grain state and the event log are stored in PostgreSQL (service id {ServiceId})")]
    private static partial void LogPersistent(ILogger logger, string serviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} {What} into their index partitions in {Elapsed} ms")]
    private static partial void LogWarm(ILogger logger, long count, string what, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the {What} index partitions at start-up; they load on first use")]
    private static partial void LogWarmFailed(ILogger logger, Exception exception, string what);
}
