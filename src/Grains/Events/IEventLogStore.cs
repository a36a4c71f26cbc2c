namespace InMemoryDb.Grains.Events;

/// <summary>The durable home of the event log: PostgreSQL's <c>event_log</c> table, or memory in the embedded default.</summary>
public interface IEventLogStore
{
    /// <summary>Appends the events in order; events whose id is already stored are skipped (idempotent).</summary>
    Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default);

    /// <summary>The ids among <paramref name="eventIds"/> that are not stored yet.</summary>
    Task<IReadOnlySet<Guid>> MissingAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> events after position <paramref name="after"/>, in log order, and no more once their
    /// content (UTF-8 JSON) passes <paramref name="maxBytes"/>; the first is returned whatever its size.
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>The number of the (up to <paramref name="limit"/>) events after <paramref name="after"/>, their content's size and the last one's position.</summary>
    Task<EventRange> MeasureAsync(long after, int limit, CancellationToken cancellationToken = default);
}
