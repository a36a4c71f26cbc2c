namespace InMemoryDb.Grains.Events;

/// <summary>Reads the event log from this silo's store.</summary>
[StatelessWorker, Reentrant]
public sealed class EventLogGrain(IEventLogStore store, ResponseLimits limits) : Grain, IEventLogGrain
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The JSON an event adds to its content (ids, names, timestamps), estimated.</summary>
    public const int EventOverheadBytes = 300;

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit)
        => ReadAsync(after, limit, limits.MaxResponseBytes);

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes)
        => store.ReadAsync(Math.Max(0, after), Math.Clamp(limit, 1, MaxPageSize), Math.Max(1, maxBytes));

    /// <inheritdoc />
    public async Task<Outcome<EventRange>> MeasureAsync(long after, int limit)
    {
        var range = await store.MeasureAsync(Math.Max(0, after), Math.Clamp(limit, 1, MaxPageSize));
        var bytes = range.Bytes + (long)range.Count * EventOverheadBytes;
        return bytes > limits.MaxResponseBytes
            ? Outcome<EventRange>.BadRequest(limits.PageTooLarge(limit, "events"))
            : Outcome<EventRange>.Ok(range with { Bytes = bytes });
    }
}
