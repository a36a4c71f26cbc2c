namespace InMemoryDb.Events;

/// <summary>
/// One acknowledged change, as published on the event-log stream and stored in the <c>event_log</c> table.
/// </summary>
/// <param name="EventId">Unique id; consumers de-duplicate by it (delivery is at-least-once).</param>
/// <param name="Method">What happened, e.g. <c>create_record</c>, <c>update_record</c>, <c>delete_record</c>.</param>
/// <param name="Entity">The kind or table of the changed entity, e.g. <c>users</c>.</param>
/// <param name="Key">The changed entity's key within <paramref name="Entity"/>, e.g. a record id.</param>
/// <param name="ContentJson">The change as a JSON value (never holds a password or its hash).</param>
/// <param name="Timestamp">When the change was applied.</param>
/// <param name="CorrelationId">The correlation id of the request that caused it.</param>
/// <param name="Source">The id of the grain that emitted it (it wrote the event with its state, in one transaction).</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.event")]
public sealed record EventEnvelope(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Method,
    [property: Id(2)] string Entity,
    [property: Id(3)] string Key,
    [property: Id(4)] string ContentJson,
    [property: Id(5)] DateTimeOffset Timestamp,
    [property: Id(6)] string CorrelationId,
    [property: Id(7)] string Source);
