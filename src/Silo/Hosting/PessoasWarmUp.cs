using InMemoryDb.Pessoas;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Once the silo is active, loads the people index partitions (from grain storage), so the first search, count
/// or create after a restart does not wait for them.
/// </summary>
internal sealed partial class PessoasWarmUp(IGrainFactory grains, ILogger<PessoasWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(PessoasWarmUp), ServiceLifecycleStage.Active, OnActiveAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    private async Task WarmUpAsync()
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var count = await grains.GetGrain<IPessoasGrain>(0).CountAsync();
            LogWarm(logger, count, watch.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            LogWarmFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} people into their index partitions in {Elapsed} ms")]
    private static partial void LogWarm(ILogger logger, long count, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the people index partitions at start-up; they load on first use")]
    private static partial void LogWarmFailed(ILogger logger, Exception exception);
}
