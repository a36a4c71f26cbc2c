using Orleans.Streams;

namespace InMemoryDb.Grains.Events.Streams;

/// <summary>
/// A subscriber's place in the event log: yields every event at or after its start position, once, in position
/// order. Events still cached come from <see cref="EventLogCache"/>; older ones (a token older than the cache, or a
/// subscriber that fell behind its eviction) are read from the log a page at a time. The pulling agent calls cursors
/// synchronously, so a read is never awaited here: it runs on the thread pool, the cursor answers "no data" meanwhile,
/// and the completed read asks the receiver to wake the stream's cursors (<see cref="EventLogCache.RequestWake"/>).
/// The next page is read while the current one is delivered, so a subscriber catching up rarely waits.
/// </summary>
internal sealed partial class EventLogCursor : IQueueCacheCursor
{
    private readonly EventLogCache _cache;
    private readonly bool _isLogStream;
    private long? _next;
    private IBatchContainer? _current;
    private IReadOnlyList<LoggedEvent>? _page;
    private int _pageIndex;
    private Read? _read;
    private bool _disposed;

    /// <summary>
    /// A cursor on <paramref name="streamId"/> at <paramref name="start"/> (inclusive; positions are positive); null: after
    /// the newest event.
    /// </summary>
    public EventLogCursor(EventLogCache cache, StreamId streamId, long? start)
    {
        _cache = cache;
        _isLogStream = streamId.Equals(cache.Stream);
        _next = start is { } position ? Math.Max(position, 1) : cache.IsStarted ? cache.Head + 1 : null;
    }

    /// <summary>The position of the next event this cursor yields (at or after it); null until the log's end is known.</summary>
    public long? Next => _next;

    /// <summary>True while the cursor reads the log rather than the cache.</summary>
    public bool IsCatchingUp => _next is { } next && next <= _cache.CoveredAfter;

    /// <inheritdoc />
    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    /// <inheritdoc />
    [Obsolete("Use MoveNextWithResult instead.")]
    public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    /// <inheritdoc />
    public QueueCacheCursorMoveResult MoveNextWithResult()
    {
        _current = null;
        if (_disposed || !_isLogStream) return QueueCacheCursorMoveResult.NoData;
        if (_next is null)
        {
            // Made before the receiver found the end of the log: everything after that end is new to it.
            if (!_cache.IsStarted) return QueueCacheCursorMoveResult.NoData;
            _next = _cache.StartPosition + 1;
        }

        while (true)
        {
            var next = _next.Value;
            if (next > _cache.CoveredAfter)
            {
                // Caught up: the cache holds every event from here on.
                _page = null;
                _read = null;
                return _cache.FirstAtOrAfter(next) is { } cached ? Yield(cached) : QueueCacheCursorMoveResult.NoData;
            }

            while (_page is not null && _pageIndex < _page.Count)
            {
                var logged = _page[_pageIndex++];
                if (logged.Position < next) continue;
                ReadAheadIfNeeded();
                return Yield(new EventLogBatch(_cache.Stream, logged));
            }
            _page = null;

            if (_read is null || _read.After != next - 1) _read = StartRead(next - 1, afterFailure: false);
            if (!_read.IsCompleted && !_read.WaitFor()) return QueueCacheCursorMoveResult.NoData;

            var read = _read;
            _read = null;
            if (read.Error is { } error)
            {
                LogReadFailed(_cache.Logger, error, read.After);
                _read = StartRead(read.After, afterFailure: true);
                _read.WaitFor();
                return QueueCacheCursorMoveResult.NoData;
            }
            if (read.Page!.Count == 0)
            {
                // Nothing at or after 'next' was readable, and every event up to what was cached when the read began
                // had been readable before it: none lies between, so the cache takes over from there.
                _next = Math.Max(next, read.CoveredAfter + 1);
                continue;
            }
            _page = read.Page;
            _pageIndex = 0;
        }
    }

    /// <inheritdoc />
    public void Refresh(StreamSequenceToken token)
    {
        // Nothing to do: a cursor finds new events in the cache by position.
    }

    /// <inheritdoc />
    public void RecordDeliveryFailure()
    {
        // The pulling agent retries and reports delivery failures itself; the position moves on as it does.
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _page = null;
        _read = null;
        _current = null;
    }

    private QueueCacheCursorMoveResult Yield(EventLogBatch batch)
    {
        _current = batch;
        _next = batch.Position + 1;
        return QueueCacheCursorMoveResult.Success;
    }

    /// <summary>Starts reading the page after the current one while it is delivered, if that page is not cached either.</summary>
    private void ReadAheadIfNeeded()
    {
        if (_read is not null || _page is null || _pageIndex < _page.Count / 2) return;
        var last = _page[^1].Position;
        if (last < _cache.CoveredAfter) _read = StartRead(last, afterFailure: false);
    }

    private Read StartRead(long after, bool afterFailure) => new(_cache, after, afterFailure);

    /// <summary>One read of the log, run on the thread pool (never on the pulling agent's turn).</summary>
    private sealed class Read
    {
        private readonly EventLogCache _cache;
        private readonly Task _task;
        private int _waiting;

        public Read(EventLogCache cache, long after, bool afterFailure)
        {
            _cache = cache;
            After = after;
            CoveredAfter = cache.CoveredAfter;
            var store = cache.Store;
            var options = cache.Options;
            _task = Task.Run(async () =>
            {
                try
                {
                    if (afterFailure) await Task.Delay(options.RetryDelay);
                    Page = await store.ReadAsync(after, options.ReadLimit, options.ReadMaxBytes);
                }
                catch (Exception e)
                {
                    Error = e;
                }
            });
            // After completion (not at the end of the body): a cursor that saw the read incomplete set _waiting before.
            _task.ContinueWith(
                static (_, state) => ((Read)state!).OnCompleted(), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>The position the read is after.</summary>
        public long After { get; }

        /// <summary>What the cache covered when the read began.</summary>
        public long CoveredAfter { get; }

        /// <summary>The events read, when it succeeded.</summary>
        public IReadOnlyList<LoggedEvent>? Page { get; private set; }

        /// <summary>Why it failed, when it did.</summary>
        public Exception? Error { get; private set; }

        public bool IsCompleted => _task.IsCompleted;

        private void OnCompleted()
        {
            if (Volatile.Read(ref _waiting) == 1) _cache.RequestWake();
        }

        /// <summary>Asks for a wake-up when the read completes; false if it has not completed yet.</summary>
        public bool WaitFor()
        {
            Interlocked.Exchange(ref _waiting, 1);
            return _task.IsCompleted;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber of the event-log stream could not read the log after position {After}; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, long after);
}
