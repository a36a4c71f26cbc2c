using Orleans.Streams;

namespace InMemoryDb.Grains.Events.Streams;

/// <summary>
/// The queue cache of the event-log stream on the silo that owns its queue: the most recent events the receiver read,
/// bounded by count and estimated memory, and the cursors that deliver them. Eviction never waits for a subscriber:
/// a cursor that falls behind what is cached (a subscription from an old position, a slow subscriber) reads the
/// events it needs from the log (<see cref="EventLogCursor"/>), so no token is ever a cache miss.
/// Everything but <see cref="RequestWake"/> is called from the pulling agent's turns, one at a time.
/// </summary>
internal sealed class EventLogCache : IQueueCache
{
    private readonly EventLogBatch?[] _ring;
    private int _first;
    private int _count;
    private long _bytes;
    private int _wake;

    /// <summary>A cache for the events of <paramref name="stream"/>, which it reads back from <paramref name="store"/>.</summary>
    public EventLogCache(StreamId stream, IEventLogStore store, EventLogStreamOptions options, ILogger logger)
    {
        Stream = stream;
        Store = store;
        Options = options;
        Logger = logger;
        _ring = new EventLogBatch?[options.CacheCapacity];
    }

    /// <summary>The stream whose events this cache holds.</summary>
    public StreamId Stream { get; }

    /// <summary>Where cursors read the events no longer cached.</summary>
    public IEventLogStore Store { get; }

    /// <summary>The provider's options.</summary>
    public EventLogStreamOptions Options { get; }

    /// <summary>The provider's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>True once the receiver found where the log ends (<see cref="Start"/>).</summary>
    public bool IsStarted { get; private set; }

    /// <summary>True once the receiver stopped (its queue left this silo, or the silo stops).</summary>
    public bool IsStopped { get; private set; }

    /// <summary>The log's last position when the receiver started: subscriptions made before it start after it.</summary>
    public long StartPosition { get; private set; }

    /// <summary>The position of the newest event added (or <see cref="StartPosition"/>).</summary>
    public long Head { get; private set; }

    /// <summary>Every event with a position above this one, up to <see cref="Head"/>, is cached.</summary>
    public long CoveredAfter { get; private set; }

    /// <summary>How many events are cached.</summary>
    public int Count => _count;

    /// <summary>Called by the receiver with the position it starts reading after (the end of the log).</summary>
    public void Start(long position)
    {
        if (IsStarted) return;
        StartPosition = Head = CoveredAfter = position;
        IsStarted = true;
    }

    /// <summary>Called by the receiver when it stops.</summary>
    public void Stop() => IsStopped = true;

    /// <summary>Asks the receiver to remind the pulling agent of the stream, which resumes the cursors waiting for a read.</summary>
    public void RequestWake() => Interlocked.Exchange(ref _wake, 1);

    /// <summary>True (once) when a wake-up was asked for since the last call.</summary>
    public bool TakeWakeRequest() => Interlocked.Exchange(ref _wake, 0) == 1;

    /// <inheritdoc />
    public int GetMaxAddCount() => QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG;

    /// <inheritdoc />
    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            // Wake-ups are not events; an event at or below the head was added already.
            if (message is not EventLogBatch batch || (IsStarted && batch.Position <= Head)) continue;
            if (!IsStarted) Start(batch.Position - 1);
            if (_count == _ring.Length) EvictOldest();
            _ring[(_first + _count) % _ring.Length] = batch;
            _count++;
            _bytes += EstimatedBytes(batch);
            Head = batch.Position;
            while (_bytes > Options.CacheMaxBytes && _count > 0) EvictOldest();
        }
    }

    /// <inheritdoc />
    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        // Eviction happens as events are added; nothing waits to be told about it (the log keeps every event).
        purgedItems = null!;
        return false;
    }

    /// <inheritdoc />
    public bool IsUnderPressure() => false;

    /// <inheritdoc />
    [Obsolete("Use TryGetCacheCursor instead.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
        => new EventLogCursor(this, streamId, token?.SequenceNumber);

    /// <inheritdoc />
    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token)
        => QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(new EventLogCursor(this, streamId, token?.SequenceNumber));

    /// <inheritdoc />
    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursorAtPosition(StreamId streamId, StreamSubscriptionStartPosition startPosition)
        => startPosition switch
        {
            StreamSubscriptionStartPosition.Latest => TryGetCacheCursor(streamId, null),
            StreamSubscriptionStartPosition.EarliestAvailable => QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(
                new EventLogCursor(this, streamId, IsStarted ? CoveredAfter + 1 : null)),
            _ => throw new ArgumentOutOfRangeException(nameof(startPosition), startPosition, "The subscription start position is not defined."),
        };

    /// <summary>The oldest cached event at or after <paramref name="position"/>, if any.</summary>
    public EventLogBatch? FirstAtOrAfter(long position)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (At(middle).Position < position) low = middle + 1;
            else high = middle;
        }
        return low < _count ? At(low) : null;
    }

    private EventLogBatch At(int index) => _ring[(_first + index) % _ring.Length]!;

    private void EvictOldest()
    {
        var oldest = At(0);
        _ring[_first] = null;
        _first = (_first + 1) % _ring.Length;
        _count--;
        _bytes -= EstimatedBytes(oldest);
        CoveredAfter = oldest.Position;
    }

    /// <summary>The memory an event holds, roughly: its strings (UTF-16) and the objects around them.</summary>
    private static long EstimatedBytes(EventLogBatch batch)
    {
        var e = batch.Logged.Event;
        return 2L * (e.ContentJson.Length + e.Method.Length + e.Entity.Length + e.Key.Length + e.CorrelationId.Length + e.Source.Length) + 400;
    }
}
