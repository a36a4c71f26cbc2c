using Microsoft.Extensions.DependencyInjection;

namespace InMemoryDb.Grains.Events;

/// <summary>
/// The transactional outbox of one grain. An event is added to the grain's persisted state in the same write
/// as the change it describes, so an acknowledged change always has its event on disk. After the write it is
/// published on the event-log stream; the log writer confirms it once stored, and the next state write drops
/// it. Until confirmed it is published again: on activation, and every few seconds by a timer that also keeps
/// the grain active. Consumers de-duplicate by event id, so publishing twice is harmless.
/// </summary>
public sealed partial class EventOutbox
{
    /// <summary>
    /// Events whose content is longer than this (in UTF-16 characters) skip the stream and are written to the event log
    /// by the publishing grain itself (idempotent by event id, like the stream's consumer). The memory stream's cache
    /// holds each message in one block of 1 MiB: a larger one (a 1 MiB record's event) fails at every delivery attempt
    /// and stalls every event queued behind it. 256 Ki characters are at most 768 KiB of UTF-8. To keep the grain's
    /// order, such an event waits until every earlier one is confirmed, and later ones wait for it (up to the retry period).
    /// </summary>
    public const int MaxStreamedContentChars = 256 * 1024;

    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(5);
    private readonly Grain _grain;
    private readonly Func<List<EventEnvelope>> _pending;
    private readonly ILogger _logger;
    private readonly string _source;
    private EventStreamPublisher? _publisher;
    private IEventLogStore? _log;
    private IGrainTimer? _retryTimer;

    /// <summary>Creates the outbox of <paramref name="grain"/>; <paramref name="pending"/> returns the event list of its current state.</summary>
    public EventOutbox(Grain grain, Func<List<EventEnvelope>> pending, ILogger logger)
    {
        _grain = grain;
        _pending = pending;
        _logger = logger;
        _source = grain.GetGrainId().ToString();
    }

    /// <summary>True when events were confirmed since the state was last written (the stored outbox is stale).</summary>
    private bool HasConfirmedSinceWrite { get; set; }

    /// <summary>A new event of this grain, carrying the current correlation id (or a new one).</summary>
    public EventEnvelope NewEvent(string method, string entity, string key, string contentJson, DateTimeOffset timestamp)
        => new(Guid.NewGuid(), method, entity, key, contentJson, timestamp, Correlation.Current ?? Guid.NewGuid().ToString("N"), _source);

    /// <summary>Call after the state (with the pending events) was written.</summary>
    public void OnStateWritten() => HasConfirmedSinceWrite = false;

    /// <summary>True when <paramref name="item"/> is in the current state's outbox (after a read: the write that carried it was stored).</summary>
    public bool Holds(EventEnvelope item) => _pending().Exists(e => e.EventId == item.EventId);

    /// <summary>Publishes every pending event (on activation, and by the retry timer).</summary>
    public Task PublishPendingAsync() => _pending().Count == 0 ? Task.CompletedTask : PublishAsync(_pending().ToArray());

    /// <summary>Publishes <paramref name="events"/>, which must already be in the written state; starts the retry timer.</summary>
    public async Task PublishAsync(IReadOnlyList<EventEnvelope> events)
    {
        _publisher ??= _grain.GrainContext.ActivationServices.GetRequiredService<EventStreamPublisher>();
        foreach (var item in events)
        {
            // This grain's events stay in order around one that skips the stream: it is logged once every earlier
            // event is confirmed, and later ones wait for it. The retry timer publishes whatever waited.
            var pending = _pending();
            var index = pending.FindIndex(e => e.EventId == item.EventId);
            if (index < 0) continue;
            var large = IsLarge(item);
            if (large ? index > 0 : pending.Take(index).Any(IsLarge)) continue;
            try
            {
                if (large)
                {
                    // Too large for the stream: written to the event log here, then confirmed like a delivered one.
                    await (_log ??= _grain.GrainContext.ActivationServices.GetRequiredService<IEventLogStore>()).AppendAsync([item]);
                    Confirm([item.EventId]);
                }
                else
                {
                    await _publisher.PublishAsync(item);
                }
            }
            catch (Exception e)
            {
                LogPublishFailed(_logger, e, item.EventId, item.Method);
            }
        }
        if (_pending().Count > 0 && _retryTimer is null)
        {
            _retryTimer = _grain.RegisterGrainTimer(PublishPendingAsync, new GrainTimerCreationOptions(RetryPeriod, RetryPeriod) { KeepAlive = true });
        }
    }

    private static bool IsLarge(EventEnvelope item) => item.ContentJson.Length > MaxStreamedContentChars;

    /// <summary>The log writer stored these events: drop them from the pending list.</summary>
    public void Confirm(IReadOnlyCollection<Guid> eventIds)
    {
        var pending = _pending();
        if (pending.RemoveAll(e => eventIds.Contains(e.EventId)) > 0)
        {
            HasConfirmedSinceWrite = true;
        }
        if (pending.Count == 0 && _retryTimer is not null)
        {
            _retryTimer.Dispose();
            _retryTimer = null;
        }
    }

    /// <summary>
    /// On deactivation: if events were confirmed since the state was last written, writes it once more so the stored
    /// outbox no longer holds them (kept, they would only be published again, harmlessly, on the next activation).
    /// <paramref name="stored"/> says the state exists in storage; a failed write is logged, not thrown.
    /// Not when the silo is shutting down: it deactivates every grain at once, and a write each made a stop take 6 s
    /// after 20,000 written keys (a container gets 10 s by default before it is killed). The confirmed
    /// events stay in storage; the next start checks them against the log (index partitions) and the log
    /// de-duplicates whatever an activation publishes again.
    /// </summary>
    public async Task DropConfirmedAsync(DeactivationReason reason, bool stored, Func<Task> writeState)
    {
        if (!stored || !HasConfirmedSinceWrite || reason.ReasonCode == DeactivationReasonCode.ShuttingDown) return;
        try
        {
            await writeState();
            OnStateWritten();
        }
        catch (Exception e)
        {
            LogOutboxCleanupFailed(_logger, e, _source);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the cleaned outbox of {Grain} on deactivation")]
    private static partial void LogOutboxCleanupFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish event {EventId} ({Method}); it stays in the outbox and is published again")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid eventId, string method);
}
