namespace InMemoryDb.Grains.Events;

/// <summary>The durable home of the event log: PostgreSQL's <c>event_log</c> table, or memory in the embedded default.</summary>
public interface IEventLogStore
{
    /// <summary>
    /// Appends events on their own (grains' events are written with their state by the grain storage); in order, one
    /// transaction per <see cref="EventPositions.MaxPerTransaction"/> events; ids already stored are skipped (idempotent).
    /// </summary>
    Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> events after position <paramref name="after"/>, in log order, and no more once their
    /// content (UTF-8 JSON) passes <paramref name="maxBytes"/>; the first is returned whatever its size.
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// The position of the newest event <see cref="ReadAsync"/> returns now, 0 when it returns none: reading after it
    /// returns only events that commit later (which get higher positions). Where the event-log stream starts reading.
    /// </summary>
    Task<long> LastPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>The number of the (up to <paramref name="limit"/>) events after <paramref name="after"/>, their content's size and the last one's position.</summary>
    Task<EventRange> MeasureAsync(long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> events of the streaming platform's grains (types named
    /// <c>StreamingKeys.GrainTypePrefix</c>…) carrying <paramref name="correlationId"/>, oldest first: the durable replies
    /// of its writes. Served by a partial index on (correlation_id) over those events only.
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken = default);
}
