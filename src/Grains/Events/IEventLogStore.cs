namespace InMemoryDb.Grains.Events;

/// <summary>The durable home of the event log: PostgreSQL's <c>event_log</c> table, or memory in the embedded default.</summary>
public interface IEventLogStore
{
    /// <summary>Appends the events in order; events whose id is already stored are skipped (idempotent).</summary>
    Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default);

    /// <summary>The ids among <paramref name="eventIds"/> that are not stored yet.</summary>
    Task<IReadOnlySet<Guid>> MissingAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> events after position <paramref name="after"/>, in log order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, CancellationToken cancellationToken = default);
}
