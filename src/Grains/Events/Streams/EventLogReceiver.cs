using Orleans.Streams;

namespace InMemoryDb.Grains.Events.Streams;

/// <summary>
/// The queue receiver of the event-log stream: reads the log by position, after the last event it handed to the
/// cache, and wraps each event in an <see cref="EventLogBatch"/> whose token is its position. It starts at the end of
/// the log (subscribers resume older positions through their cursors), never skips a position, and never waits for
/// one: the store returns only events below its visibility horizon, in position order.
/// </summary>
internal sealed partial class EventLogReceiver(EventLogCache cache, ILogger logger) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();
    private bool _started;
    private long _position;
    private long _lastSignal = long.MinValue;

    /// <summary>The position of the last event read (the log's end at start-up before any).</summary>
    public long Position => _position;

    /// <inheritdoc />
    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    /// <inheritdoc />
    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await StartAsync(deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not fatal: the first read tries again (the agent keeps polling a receiver whatever its start did).
            LogStartFailed(logger, e);
        }
    }

    /// <inheritdoc />
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    /// <inheritdoc />
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (!_started) await StartAsync(cancellationToken);
        var options = cache.Options;
        var limit = maxCount > 0 ? Math.Min(maxCount, options.ReadLimit) : options.ReadLimit;
        var events = await cache.Store.ReadAsync(_position, limit, options.ReadMaxBytes, cancellationToken);
        var now = Environment.TickCount64;
        if (events.Count == 0)
        {
            if (!cache.TakeWakeRequest() && now - _lastSignal < (long)options.KeepAlivePeriod.TotalMilliseconds) return Nothing;
            _lastSignal = now;
            return [new EventLogWakeUp(cache.Stream, new EventLogToken(_position + 1))];
        }

        var batches = new List<IBatchContainer>(events.Count);
        foreach (var logged in events)
        {
            if (logged.Position <= _position)
            {
                // The store's contract is ascending positions after the one asked for; never deliver one twice.
                LogOutOfOrder(logger, logged.Position, _position);
                continue;
            }
            batches.Add(new EventLogBatch(cache.Stream, logged));
            _position = logged.Position;
        }
        // Events of the stream wake its idle cursors as well as a wake-up would.
        cache.TakeWakeRequest();
        _lastSignal = now;
        return batches;
    }

    /// <inheritdoc />
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    /// <inheritdoc />
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task Shutdown(TimeSpan timeout)
    {
        cache.Stop();
        return Task.CompletedTask;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started) return;
        var end = await cache.Store.LastPositionAsync(cancellationToken);
        if (_started) return;
        _position = end;
        cache.Start(end);
        _started = true;
        // The first wake-up registers the stream with the agent, which attaches the subscriptions made before.
        cache.RequestWake();
        LogStarted(logger, end);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The event-log stream reads the log after position {Position}")]
    private static partial void LogStarted(ILogger logger, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event-log stream could not find the end of the log yet; its first read tries again")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event log returned position {Position} after {Last}: not delivered again")]
    private static partial void LogOutOfOrder(ILogger logger, long position, long last);
}
