using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Pessoas;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Questions;
using InMemoryDb.Grains.Tables;
using Microsoft.Extensions.Hosting;

namespace InMemoryDb.Grains.Events;

/// <summary>
/// When a silo of the cluster dies, the events it held in memory (in its stream queues, its log writer, or the
/// outbox timers of its grains) die with it, though each is still in its grain's stored outbox; and a grain that
/// died between its state write and telling its index partition left that partition behind storage. This service,
/// on every surviving silo, asks every index partition (tables, key-value store, questions, answers, people) to
/// reconcile with storage and log what stored outboxes hold and the log lacks; partitions do it once per dead silo,
/// and the log de-duplicates. Durable storage only.
/// </summary>
public sealed partial class DeadSiloEventRecovery(
    IClusterMembershipService membership,
    IGrainFactory grains,
    StorageInfo storage,
    ILogger<DeadSiloEventRecovery> logger) : BackgroundService
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
            // Never take the silo down: without this watcher, stored outboxes are still logged when partitions activate.
            LogWatchFailed(logger, e);
        }
    }

    private async Task RecoverAsync(string deadSilo)
    {
        LogRecovering(logger, deadSilo);
        try
        {
            var keyValue = Enumerable.Range(0, Partitioning.Count)
                .Select(p => grains.GetGrain<IKeyValueIndexGrain>(p).ReconcileAsync(deadSilo));
            var tables = await grains.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ListAsync();
            var records = tables.SelectMany(t => Enumerable.Range(0, Partitioning.Count)
                .Select(p => grains.GetGrain<ITablePartitionGrain>($"{t.Name}/{p}").ReconcileAsync(deadSilo)));
            var questions = IndexPartitions.All(QuestionKeys.Questions).Select(p => grains.GetGrain<IQuestionPartitionGrain>(p).ReconcileAsync(deadSilo));
            var answers = IndexPartitions.All(QuestionKeys.Answers).Select(p => grains.GetGrain<IAnswerPartitionGrain>(p).ReconcileAsync(deadSilo));
            var people = Enumerable.Range(0, Partitioning.Count).Select(p => grains.GetGrain<IPessoaIndexGrain>(p).ReconcileAsync(deadSilo));
            await Task.WhenAll(keyValue.Concat(records).Concat(questions).Concat(answers).Concat(people));
        }
        catch (Exception e)
        {
            LogRecoveryFailed(logger, e, deadSilo);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} died: logging the events its grains' stored outboxes hold and the event log lacks")]
    private static partial void LogRecovering(ILogger logger, string silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching cluster membership for dead silos failed; their events are logged when grains or partitions next activate")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovering events after the death of silo {Silo} failed; they are logged when their grains or partitions next activate")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string silo);
}
