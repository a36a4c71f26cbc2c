using InMemoryDb.Events;
using InMemoryDb.Grains.Events;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>
/// An event log whose positions are large and sparse (as PostgreSQL's are to be: a transaction id shifted left 12 bits,
/// plus the event's ordinal), with reads that fail on demand. Reads return events in position order, after the one asked.
/// </summary>
public sealed class SparseEventLogStore : IEventLogStore
{
    private readonly Lock _gate = new();
    private readonly List<LoggedEvent> _events = [];
    private long _transaction = 1_000_000_007;

    /// <summary>How many reads fail from now on.</summary>
    public int FailingReads { get; set; }

    /// <summary>How many reads were made.</summary>
    public int Reads { get; private set; }

    /// <summary>Appends events as one transaction: the next transaction id, ordinals 0, 1, ….</summary>
    public IReadOnlyList<LoggedEvent> Append(int count)
    {
        lock (_gate)
        {
            _transaction += 3;
            var added = Enumerable.Range(0, count).Select(i => new LoggedEvent((_transaction << 12) | (long)i, Envelope())).ToList();
            _events.AddRange(added);
            return added;
        }
    }

    /// <summary>Every position, in order.</summary>
    public long[] Positions()
    {
        lock (_gate) return _events.Select(e => e.Position).ToArray();
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        lock (_gate)
        {
            Reads++;
            if (FailingReads > 0)
            {
                FailingReads--;
                throw new InvalidOperationException("the log is unreachable (test)");
            }
            return _events.Where(e => e.Position > after).Take(limit).ToList();
        }
    }

    /// <inheritdoc />
    public Task<long> LastPositionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_events.Count == 0 ? 0 : _events[^1].Position);
    }

    /// <inheritdoc />
    public Task<EventRange> MeasureAsync(long after, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    private static EventEnvelope Envelope()
        => new(Guid.NewGuid(), EventMethods.PutKey, "kv", "k", """{"key":"k"}""", DateTimeOffset.UtcNow, "test", "kv/k");

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<LoggedEvent>>(_events.Where(e => e.Event.CorrelationId == correlationId).Take(limit).ToList());
    }
}
