namespace InMemoryDb.Grains.Events;

/// <summary>Reads the event log from this silo's store.</summary>
[StatelessWorker, Reentrant]
public sealed class EventLogGrain(IEventLogStore store) : Grain, IEventLogGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit)
        => store.ReadAsync(Math.Max(0, after), Math.Clamp(limit, 1, 10_000));
}
