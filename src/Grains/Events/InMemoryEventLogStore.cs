using System.Text;

namespace InMemoryDb.Grains.Events;

/// <summary>The event log of the embedded default: kept in this process, lost when it stops.</summary>
public sealed class InMemoryEventLogStore : IEventLogStore
{
    private readonly Lock _gate = new();
    private readonly List<LoggedEvent> _events = [];
    private readonly HashSet<Guid> _ids = [];

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        Append(events);
        return Task.CompletedTask;
    }

    /// <summary>Appends the events in order, skipping ids already logged; positions are 1, 2, 3… in append order.</summary>
    public void Append(IReadOnlyList<EventEnvelope> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                if (_ids.Add(e.EventId))
                {
                    _events.Add(new LoggedEvent(_events.Count + 1, e));
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            // Positions are 1-based list indexes, so the first event after 'after' is at index 'after'.
            var start = (int)Math.Clamp(after, 0, _events.Count);
            var count = Math.Min(limit, _events.Count - start);
            long bytes = 0;
            for (var i = 0; i < count; i++)
            {
                bytes += Encoding.UTF8.GetByteCount(_events[start + i].Event.ContentJson);
                if (bytes > maxBytes && i > 0)
                {
                    count = i;
                    break;
                }
            }
            return Task.FromResult<IReadOnlyList<LoggedEvent>>(_events.GetRange(start, count));
        }
    }

    /// <inheritdoc />
    public Task<long> LastPositionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<long>(_events.Count);
        }
    }

    /// <inheritdoc />
    public Task<EventRange> MeasureAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var start = (int)Math.Clamp(after, 0, _events.Count);
            var count = Math.Min(limit, _events.Count - start);
            long bytes = 0;
            for (var i = 0; i < count; i++) bytes += Encoding.UTF8.GetByteCount(_events[start + i].Event.ContentJson);
            return Task.FromResult(new EventRange(count, bytes, count == 0 ? after : _events[start + count - 1].Position));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            // The embedded default's log lives in this process: a scan, newest last.
            var found = new List<LoggedEvent>();
            foreach (var e in _events)
            {
                if (e.Event.CorrelationId == correlationId && e.Event.Source.StartsWith(InMemoryDb.Streaming.StreamingKeys.GrainTypePrefix, StringComparison.Ordinal))
                {
                    found.Add(e);
                    if (found.Count == limit) break;
                }
            }
            return Task.FromResult<IReadOnlyList<LoggedEvent>>(found);
        }
    }
}
