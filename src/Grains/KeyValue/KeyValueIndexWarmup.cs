using Microsoft.Extensions.Hosting;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// Activates the key-value index partitions as the silo starts, so they load their keys from storage (in the
/// background) right away rather than on the first listing; readiness (<c>/health</c>) reports them loading until done.
/// </summary>
public sealed partial class KeyValueIndexWarmup(IGrainFactory grains, ILogger<KeyValueIndexWarmup> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; attempt <= 30 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<IKeyValueStoreGrain>(0).IsLoadedAsync().WaitAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The silo may not be active yet; the partitions also activate on their first use.
                LogNotYet(logger, e.Message, attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activating the key-value index partitions failed ({Error}, attempt {Attempt}); retrying")]
    private static partial void LogNotYet(ILogger logger, string error, int attempt);
}
