using InMemoryDb.Events;
using InMemoryDb.Grains.Events.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace InMemoryDb.Tests.Unit;

/// <summary>
/// The event-log stream's receiver, cache and cursors without a silo: the receiver starts at the log's end and reads
/// on by position; a cursor yields every event from its start (inclusive) once and in order, reading from the log
/// what the cache no longer holds, on the thread pool, and asking for a wake-up when that read completes.
/// </summary>
public sealed class EventLogCacheTests
{
    private static readonly EventLogStreamOptions Small = new() { CacheCapacity = 10, ReadLimit = 25 };

    [Fact]
    public async Task TheReceiverStartsAtTheEndOfTheLogAndReadsOnlyWhatFollows()
    {
        var store = new SparseEventLogStore();
        store.Append(40);
        var (cache, receiver) = Create(store, Small);

        await receiver.Initialize(TimeSpan.FromSeconds(5));
        var first = await receiver.GetQueueMessagesAsync(-1, CancellationToken.None);
        var wakeUp = Assert.Single(first);
        Assert.Empty(wakeUp.GetEvents<EventEnvelope>());
        Assert.Equal(store.Positions()[^1] + 1, wakeUp.SequenceToken.SequenceNumber);
        Assert.Empty(await receiver.GetQueueMessagesAsync(-1, CancellationToken.None));

        var added = store.Append(30);
        var read = await ReadAllAsync(cache, receiver);
        Assert.Equal(added.Select(e => e.Position), read);
        Assert.Equal(added[^1].Position, cache.Head);
        Assert.Equal(10, cache.Count);
        Assert.Equal(added[^11].Position, cache.CoveredAfter);
    }

    [Fact]
    public async Task ACursorFromATokenOlderThanTheCacheReadsTheLogThenTheCacheOncePerPositionInOrder()
    {
        var store = new SparseEventLogStore();
        store.Append(300);
        var (cache, receiver) = Create(store, Small);
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 20; i++) store.Append(7);
        await ReadAllAsync(cache, receiver);
        var all = store.Positions();
        var start = all[123];

        var inclusive = Cursor(cache, new EventLogToken(start));
        var exclusive = Cursor(cache, EventLogToken.After(start));
        Assert.Equal(all[123..], await DrainAsync(cache, inclusive));
        Assert.Equal(all[124..], await DrainAsync(cache, exclusive));

        // Then live: new events come from the cache.
        var live = store.Append(5);
        await ReadAllAsync(cache, receiver);
        Assert.Equal(live.Select(e => e.Position), await DrainAsync(cache, inclusive));
        Assert.True(store.Reads > 300 / Small.ReadLimit, "the old events were read from the log");
    }

    [Fact]
    public async Task AnOtherTokenTypeWorksByItsSequenceNumber()
    {
        var store = new SparseEventLogStore();
        store.Append(50);
        var (cache, receiver) = Create(store, Small);
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        var all = store.Positions();
        Assert.Equal(all[10..], await DrainAsync(cache, Cursor(cache, new EventSequenceTokenV2(all[10]))));
    }

    [Fact]
    public async Task ACursorWithoutATokenStartsAfterTheNewestEvent()
    {
        var store = new SparseEventLogStore();
        store.Append(5);
        var (cache, receiver) = Create(store, Small);
        var early = Cursor(cache, null);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, early.MoveNextWithResult().Kind);
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        var first = store.Append(3);
        await ReadAllAsync(cache, receiver);
        var late = Cursor(cache, null);
        var second = store.Append(2);
        await ReadAllAsync(cache, receiver);

        Assert.Equal(first.Concat(second).Select(e => e.Position), await DrainAsync(cache, early));
        Assert.Equal(second.Select(e => e.Position), await DrainAsync(cache, late));
    }

    [Fact]
    public async Task ATokenBeforeAnEmptyStretchOfTheLogMovesOnToTheCache()
    {
        var store = new SparseEventLogStore();
        var (cache, receiver) = Create(store, Small);
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        var added = store.Append(4);
        await ReadAllAsync(cache, receiver);

        // Nothing before the first event: reading the log from position 1 finds the cached events and carries on.
        Assert.Equal(added.Select(e => e.Position), await DrainAsync(cache, Cursor(cache, new EventLogToken(1))));
    }

    [Fact]
    public async Task AFailedReadOfTheLogIsRetriedAndNothingIsSkipped()
    {
        var store = new SparseEventLogStore();
        store.Append(60);
        var (cache, receiver) = Create(store, Small with { RetryDelay = TimeSpan.FromMilliseconds(10) });
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        store.FailingReads = 3;
        Assert.Equal(store.Positions(), await DrainAsync(cache, Cursor(cache, EventLogToken.After(0))));
    }

    [Fact]
    public void TokensCompareByPositionAndAfterIsExclusive()
    {
        Assert.Equal(8, EventLogToken.After(7).Position);
        Assert.Equal(1, EventLogToken.After(0).Position);
        Assert.True(new EventLogToken(5).CompareTo(new EventLogToken(6)) < 0);
        Assert.Equal(new EventLogToken(5), new EventLogToken(5));
        Assert.True(new EventLogToken(5).Equals(new EventSequenceTokenV2(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventLogToken.After(long.MaxValue));
    }

    [Fact]
    public async Task TheCacheIsBoundedByMemoryAsWellAsByCount()
    {
        var store = new SparseEventLogStore();
        var (cache, receiver) = Create(store, new EventLogStreamOptions { CacheCapacity = 1000, CacheMaxBytes = 5_000 });
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        store.Append(100);
        await ReadAllAsync(cache, receiver);
        Assert.InRange(cache.Count, 1, 12);
    }

    private static (EventLogCache, EventLogReceiver) Create(SparseEventLogStore store, EventLogStreamOptions options)
    {
        var cache = new EventLogCache(EventStreams.Log, store, options.Validated(), NullLogger.Instance);
        return (cache, new EventLogReceiver(cache, NullLogger.Instance));
    }

    private static EventLogCursor Cursor(EventLogCache cache, StreamSequenceToken? token)
        => (EventLogCursor)cache.TryGetCacheCursor(EventStreams.Log, token).Cursor!;

    /// <summary>What the pulling agent does: read until the log has nothing new, adding each read to the cache.</summary>
    private static async Task<List<long>> ReadAllAsync(EventLogCache cache, EventLogReceiver receiver)
    {
        var positions = new List<long>();
        while (true)
        {
            var batches = await receiver.GetQueueMessagesAsync(-1, CancellationToken.None);
            var events = batches.OfType<EventLogBatch>().ToList();
            cache.AddToCache(batches);
            if (events.Count == 0) return positions;
            positions.AddRange(events.Select(b => b.Position));
        }
    }

    /// <summary>
    /// What the pulling agent does for a subscriber: take events until the cursor has none; when it is reading the
    /// log, wait for its wake-up (which the receiver turns into a reminder of the stream) and go on.
    /// </summary>
    private static async Task<List<long>> DrainAsync(EventLogCache cache, EventLogCursor cursor)
    {
        var positions = new List<long>();
        while (true)
        {
            var moved = cursor.MoveNextWithResult();
            if (moved.Kind == QueueCacheCursorMoveResultKind.Success)
            {
                var batch = Assert.IsType<EventLogBatch>(cursor.GetCurrent(out var error));
                Assert.Null(error);
                Assert.Equal(batch.Position, Assert.Single(batch.GetEvents<EventEnvelope>()).Item2.SequenceNumber);
                positions.Add(batch.Position);
                continue;
            }
            Assert.Equal(QueueCacheCursorMoveResultKind.NoData, moved.Kind);
            if (!cursor.IsCatchingUp) return positions;
            await Eventually.Poll(() => Task.FromResult(cache.TakeWakeRequest()), woken => woken, TimeSpan.FromSeconds(10));
        }
    }
}
