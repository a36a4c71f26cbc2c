using Microsoft.Extensions.Hosting;

namespace InMemoryDb.Grains;

/// <summary>
/// When a silo of the cluster dies, a grain there that committed its state (and its events, in the same transaction)
/// and died before applying the change to its index partition left that partition behind storage. This service, on
/// every surviving silo, asks the partitions of every entity kind (<see cref="EntityKinds"/>) to reconcile with
/// storage; partitions do it once per dead silo. Durable storage only.
/// </summary>
public sealed partial class DeadSiloRecovery(
    IClusterMembershipService membership,
    IGrainFactory grains,
    StorageInfo storage,
    ILogger<DeadSiloRecovery> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.IsDurable) return;
        HashSet<SiloAddress>? known = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var dead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
                // Silos already dead when this silo joined were recovered from by the partitions' own activation.
                var newlyDead = known is null ? [] : dead.Except(known).ToArray();
                known = dead;
                foreach (var silo in newlyDead)
                {
                    _ = RecoverAsync(silo.ToString());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            // Never take the silo down: without this watcher, partitions still reconcile when they next activate.
            LogWatchFailed(logger, e);
        }
    }

    private async Task RecoverAsync(string deadSilo)
    {
        LogRecovering(logger, deadSilo);
        try
        {
            await Task.WhenAll(EntityKinds.All.Select(kind => kind.ReconcileAsync(grains, deadSilo)));
        }
        catch (Exception e)
        {
            LogRecoveryFailed(logger, e, deadSilo);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} died: reconciling every index partition with storage")]
    private static partial void LogRecovering(ILogger logger, string silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching cluster membership for dead silos failed; index partitions reconcile when they next activate")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling index partitions after the death of silo {Silo} failed; they reconcile when they next activate")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string silo);
}
