namespace InMemoryDb.Events;

/// <summary>Reads the durable event log (a stateless worker: every silo answers locally).</summary>
public interface IEventLogGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="limit"/> events with a position greater than <paramref name="after"/>, in log order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit);
}
