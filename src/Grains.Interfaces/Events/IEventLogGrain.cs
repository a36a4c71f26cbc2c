namespace InMemoryDb.Events;

/// <summary>Reads the durable event log (a stateless worker: every silo answers locally).</summary>
public interface IEventLogGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Up to <paramref name="limit"/> events with a position greater than <paramref name="after"/>, in log order; fewer
    /// when they would pass the response limit (page on from the last position).
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit);

    /// <summary>
    /// Up to <paramref name="limit"/> events after <paramref name="after"/>, and no more once their content passes
    /// <paramref name="maxBytes"/> (at least one when there is one): the chunks of a page streamed to a client.
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes);

    /// <summary>
    /// The page of up to <paramref name="limit"/> events after <paramref name="after"/> without reading it: its size and
    /// last position; <see cref="OutcomeKind.BadRequest"/> when it would pass the response limit.
    /// </summary>
    Task<Outcome<EventRange>> MeasureAsync(long after, int limit);
}
