using InMemoryDb.KeyValue;
using InMemoryDb.Tables;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Says at start-up where data lives, and once the silo is active loads every table's index partitions
/// and the key-value store's (which also logs any event left unlogged in a stored outbox by a crash).
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

    private async Task WarmUpAsync()
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var tables = await grains.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ListAsync();
            LogWarm(logger, tables.Count, tables.Sum(t => t.Count), watch.ElapsedMilliseconds);
            watch.Restart();
            var keys = await grains.GetGrain<IKeyValueStoreGrain>(0).CountAsync();
            LogWarmKeyValue(logger, keys, watch.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            LogWarmFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "EMBEDDED MODE: data is kept in memory only and is LOST when this process stops. " +
        "To persist it, set ConnectionStrings__Postgres (e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=inmemorydb\").")]
    private static partial void LogEmbedded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Persistent mode: grain state and the event log are stored in PostgreSQL (service id {ServiceId})")]
    private static partial void LogPersistent(ILogger logger, string serviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Tables} tables ({Records} records) into their index partitions in {Elapsed} ms")]
    private static partial void LogWarm(ILogger logger, int tables, long records, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Keys} keys of the key-value store into its index partitions in {Elapsed} ms")]
    private static partial void LogWarmKeyValue(ILogger logger, long keys, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the index partitions at start-up; they load on first use")]
    private static partial void LogWarmFailed(ILogger logger, Exception exception);
}
