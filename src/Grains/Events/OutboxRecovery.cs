namespace InMemoryDb.Grains.Events;

/// <summary>
/// Logs events found in stored outboxes that the event log does not hold yet. Index partitions call it with what
/// they scanned, at activation and after a silo died (whose in-flight events may have been lost with it).
/// Safe to race with the normal path: the log de-duplicates by event id.
/// </summary>
public static class OutboxRecovery
{
    /// <summary>Appends the events of <paramref name="pending"/> missing from <paramref name="eventLog"/>, oldest first; returns how many.</summary>
    public static async Task<int> LogMissingAsync(IEventLogStore eventLog, IReadOnlyCollection<EventEnvelope> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return 0;
        var missing = await eventLog.MissingAsync(pending.Select(e => e.EventId).ToArray(), cancellationToken);
        if (missing.Count == 0) return 0;
        await eventLog.AppendAsync(pending.Where(e => missing.Contains(e.EventId)).OrderBy(e => e.Timestamp).ToArray(), cancellationToken);
        return missing.Count;
    }
}
