using System.Diagnostics;
using InMemoryDb.Events;
using InMemoryDb.Grains.Events;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// The event log played as an Orleans stream (provider <c>events</c>, stream <see cref="EventStreams.Log"/>), in
/// memory and on PostgreSQL: concurrent appends reach a client's observer and a grain once per position in ascending
/// order; a token older than the cache replays from there; a subscriber resumes after a silo restart with nothing
/// missed; producing is refused; and the delivery latency is measured.
/// </summary>
public sealed class EventLogStreamTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentAppendsReachEverySubscriberOncePerPositionInOrder(bool persistent)
    {
        await using var cluster = await EventLogStreamCluster.StartAsync(Postgres(persistent));
        var store = cluster.Store;
        var start = await store.LastPositionAsync();
        var observer = new RecordingObserver();
        var handle = await cluster.Stream.SubscribeAsync(observer, EventLogToken.After(start));
        var live = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(live);
        var grain = cluster.Client.GetGrain<IEventLogRecorderGrain>("recorder");
        await grain.SubscribeAsync(start);

        const int Writers = 4, PerWriter = 250, Total = Writers * PerWriter;
        var appended = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var ids = new List<Guid>();
            var random = new Random(writer);
            while (ids.Count < PerWriter)
            {
                var batch = Enumerable.Range(0, Math.Min(random.Next(1, 5), PerWriter - ids.Count))
                    .Select(_ => EventLogStreamCluster.NewEvent($"w{writer}-{ids.Count}")).ToList();
                await store.AppendAsync(batch);
                ids.AddRange(batch.Select(e => e.EventId));
            }
            return ids;
        })));

        var received = await observer.WaitForAsync(Total);
        var logged = await ReadAllAsync(store, start);
        Assert.Equal(Total, logged.Count);
        Assert.Equal(logged.Select(e => e.Position), received.Select(r => r.Position));
        Assert.Equal(logged.Select(e => e.Event.EventId), received.Select(r => r.EventId));
        Assert.Equal(appended.SelectMany(ids => ids).Order(), received.Select(r => r.EventId).Order());
        Assert.All(received.Zip(received.Skip(1)), pair => Assert.True(pair.First.Position < pair.Second.Position));

        var byGrain = await Eventually.Poll(grain.PositionsAsync, p => p.Length >= Total, TimeSpan.FromSeconds(60));
        Assert.Equal(logged.Select(e => e.Position), byGrain);

        // Subscribed without a token: from when its subscription was attached, every event, in order.
        var fromLive = (await live.WaitForAsync(1)).Select(r => r.Position).ToArray();
        await Task.Delay(500);
        fromLive = live.Snapshot().Select(r => r.Position).ToArray();
        Assert.Equal(logged.Select(e => e.Position).TakeLast(fromLive.Length), fromLive);

        Assert.Equal(Total, observer.Snapshot().Length);
        Assert.Equal(Total, (await grain.PositionsAsync()).Length);
        Assert.Empty(observer.Errors());
        await handle.UnsubscribeAsync();
    }

    /// <summary>The commit is the publish: grains' committed changes reach a subscriber with nothing published after the commit.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CommittedChangesOfGrainsReachASubscriberInCommitOrder(bool persistent)
    {
        await using var cluster = await EventLogStreamCluster.StartAsync(Postgres(persistent));
        var start = await cluster.Store.LastPositionAsync();
        var observer = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(observer, EventLogToken.After(start));

        const int Writers = 8, PerWriter = 25;
        var prefix = "stream-" + Guid.NewGuid().ToString("N")[..8];
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var key = $"{prefix}-{w}";
            var grain = cluster.Client.GetGrain<InMemoryDb.KeyValue.IKeyValueGrain>(InMemoryDb.KeyValue.KeyValueKeys.GrainKey(key));
            for (var i = 0; i < PerWriter; i++) Assert.Equal(OutcomeKind.Ok, (await grain.PutAsync(key, $"v{i}", null)).Kind);
        })));

        var received = await observer.WaitForAsync(Writers * PerWriter);
        var logged = (await ReadAllAsync(cluster.Store, start)).Where(e => e.Event.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(Writers * PerWriter, logged.Count);
        Assert.Equal(logged.Select(e => e.Event.EventId), received.Where(r => logged.Any(e => e.Event.EventId == r.EventId)).Select(r => r.EventId));
        Assert.All(received.Zip(received.Skip(1)), pair => Assert.True(pair.First.Position < pair.Second.Position));
        // Each key's events arrive in the order its changes were made.
        foreach (var key in logged.GroupBy(e => e.Event.Key))
        {
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => $"v{i}"),
                key.Select(e => System.Text.Json.JsonDocument.Parse(e.Event.ContentJson).RootElement.GetProperty("value").GetString()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATokenOlderThanTheCacheReplaysEverythingFromItThenLiveEvents(bool persistent)
    {
        await using var cluster = await EventLogStreamCluster.StartAsync(Postgres(persistent),
            ("InMemoryDb:EventLogStreams:CacheCapacity", "50"), ("InMemoryDb:EventLogStreams:ReadLimit", "100"));
        var store = cluster.Store;
        var start = await store.LastPositionAsync();
        var first = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(first, EventLogToken.After(start));
        for (var i = 0; i < 100; i++) await store.AppendAsync(Enumerable.Range(0, 10).Select(k => EventLogStreamCluster.NewEvent($"h{i}-{k}")).ToList());
        // Once a subscriber has them all, the receiver has read them all and the cache holds only the newest 50.
        await first.WaitForAsync(1000);
        var history = await ReadAllAsync(store, start);
        var middle = history[400].Position;

        var inclusive = new RecordingObserver();
        var exclusive = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(inclusive, new EventLogToken(middle));
        await cluster.Stream.SubscribeAsync(exclusive, EventLogToken.After(middle));
        await inclusive.WaitForAsync(600);
        for (var i = 0; i < 10; i++) await store.AppendAsync(Enumerable.Range(0, 10).Select(k => EventLogStreamCluster.NewEvent($"l{i}-{k}")).ToList());

        // Readers see only below the visibility horizon, which another test's open transaction can hold back a moment.
        var all = await Eventually.Poll(() => ReadAllAsync(store, start), a => a.Count >= 1100, TimeSpan.FromSeconds(30));
        Assert.Equal(1100, all.Count);
        Assert.Equal(all.Skip(400).Select(e => e.Position), (await inclusive.WaitForAsync(700)).Select(r => r.Position));
        Assert.Equal(all.Skip(401).Select(e => e.Position), (await exclusive.WaitForAsync(699)).Select(r => r.Position));
        await Task.Delay(300);
        Assert.Equal(700, inclusive.Snapshot().Length);
        Assert.Equal(699, exclusive.Snapshot().Length);
    }

    [Fact]
    public async Task ASubscriberResumesAfterASiloRestartFromItsLastPositionWithNothingMissed()
    {
        await using var cluster = await EventLogStreamCluster.StartAsync(TestEnvironment.Postgres);
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        var own = new PostgresEventLogStore(dataSource, Options.Create(new ClusterOptions { ServiceId = cluster.ServiceId }));
        var start = await own.LastPositionAsync();
        var before = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(before, EventLogToken.After(start));
        await AppendAsync(cluster.Store, "a", 200);
        await before.WaitForAsync(200);
        await AppendAsync(cluster.Store, "b", 50);
        var seen = before.Snapshot();
        var lastSeen = seen[^1].Position;

        await cluster.KillSiloAsync();
        await AppendAsync(own, "down", 100);
        await cluster.StartSiloAsync();
        var after = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(after, EventLogToken.After(lastSeen));
        await AppendAsync(cluster.Store, "c", 100);

        // Readers see only below the visibility horizon, which another test's open transaction can hold back a moment.
        var all = await Eventually.Poll(() => ReadAllAsync(own, start), a => a.Count >= 450, TimeSpan.FromSeconds(30));
        Assert.Equal(450, all.Count);
        var expected = all.Where(e => e.Position > lastSeen).Select(e => e.Position).ToArray();
        Assert.Equal(expected, (await after.WaitForAsync(expected.Length)).Select(r => r.Position));
        Assert.Equal(all.Select(e => e.Position), seen.Select(r => r.Position).Concat(after.Snapshot().Select(r => r.Position)));
        output.WriteLine($"seen before the kill: {seen.Length}; after the restart: {after.Snapshot().Length}");
    }

    [Fact]
    public async Task WhenTheSiloReadingTheLogDiesAnotherTakesOverAndASubscriberResumesWithNothingMissed()
    {
        await using var cluster = await EventLogStreamCluster.StartAsync(2, TestEnvironment.Postgres);
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        var own = new PostgresEventLogStore(dataSource, Options.Create(new ClusterOptions { ServiceId = cluster.ServiceId }));
        var start = await own.LastPositionAsync();
        var before = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(before, EventLogToken.After(start));
        using var stop = new CancellationTokenSource();
        // A writer that keeps appending while a silo dies and the log's queue moves.
        var writer = Task.Run(async () =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                await AppendAsync(own, "w" + written, 5);
                written += 5;
                await Task.Delay(10);
            }
            return written;
        });
        await before.WaitForAsync(100);

        await cluster.KillSiloAsync(await cluster.ReaderIndexAsync());
        await cluster.StartClientAsync();
        Assert.Equal(0, await cluster.ReaderIndexAsync());
        var seen = before.Snapshot();
        var lastSeen = seen[^1].Position;
        var after = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(after, EventLogToken.After(lastSeen));
        await after.WaitForAsync(100);
        stop.Cancel();
        var written = await writer;

        var all = await Eventually.Poll(() => ReadAllAsync(own, start), a => a.Count >= written, TimeSpan.FromSeconds(30));
        Assert.Equal(written, all.Count);
        var expected = all.Where(e => e.Position > lastSeen).Select(e => e.Position).ToArray();
        Assert.Equal(expected, (await after.WaitForAsync(expected.Length)).Select(r => r.Position));
        Assert.Equal(all.Select(e => e.Position), seen.Select(r => r.Position).Concat(after.Snapshot().Select(r => r.Position)));
        output.WriteLine($"{written} events; seen before the kill: {seen.Length}; after it: {after.Snapshot().Length}");
    }

    [Fact]
    public async Task ProducingOnTheEventLogStreamIsRefused()
    {
        await using var cluster = await EventLogStreamCluster.StartAsync(null);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => cluster.Stream.OnNextAsync(EventLogStreamCluster.NewEvent("x")));
        Assert.Contains("read-only", refused.Message);
    }

    /// <summary>
    /// Not a pass/fail figure: the time from starting an append to the client's observer receiving the event, at a
    /// steady rate (one event per append, one writer), printed for docs/decisions/event-log-streams.md.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("Category", "Measurement")]
    public async Task DeliveryLatencyAtASteadyRate(bool persistent)
    {
        const int Count = 2000, PerSecond = 250;
        await using var cluster = await EventLogStreamCluster.StartAsync(Postgres(persistent));
        var store = cluster.Store;
        var observer = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(observer, EventLogToken.After(await store.LastPositionAsync()));
        await AppendAsync(store, "warm-up", 50);
        await observer.WaitForAsync(50);

        var started = new Dictionary<Guid, (long Start, long End)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / PerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var item = EventLogStreamCluster.NewEvent($"m{i}");
            var start = Stopwatch.GetTimestamp();
            await store.AppendAsync([item]);
            started[item.EventId] = (start, Stopwatch.GetTimestamp());
        }
        var received = (await observer.WaitForAsync(50 + Count)).Where(r => started.ContainsKey(r.EventId)).ToArray();

        var fromAppend = received.Select(r => Stopwatch.GetElapsedTime(started[r.EventId].Start, r.Timestamp).TotalMilliseconds).Order().ToArray();
        var fromCommit = received.Select(r => (r.Timestamp - started[r.EventId].End) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        output.WriteLine($"event-log stream, {(persistent ? "PostgreSQL" : "in-memory")} log, {Count} events at {PerSecond}/s over {clock.Elapsed.TotalSeconds:F1} s, poll period 50 ms:");
        output.WriteLine($"  append start -> observer: median {Percentile(fromAppend, 50):F1} ms, p99 {Percentile(fromAppend, 99):F1} ms, max {fromAppend[^1]:F1} ms");
        output.WriteLine($"  append acknowledged -> observer: median {Percentile(fromCommit, 50):F1} ms, p99 {Percentile(fromCommit, 99):F1} ms");
        Assert.Equal(Count, received.Length);
    }

    /// <summary>Not a pass/fail figure: how fast a subscriber from an old token replays history it must read from the log.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("Category", "Measurement")]
    public async Task CatchUpRateFromAnOldToken(bool persistent)
    {
        const int Count = 20_000;
        await using var cluster = await EventLogStreamCluster.StartAsync(Postgres(persistent));
        var store = cluster.Store;
        var start = await store.LastPositionAsync();
        for (var i = 0; i < Count; i += 100)
        {
            await store.AppendAsync(Enumerable.Range(i, 100).Select(k => EventLogStreamCluster.NewEvent($"c{k}")).ToList());
        }
        var live = new RecordingObserver();
        await cluster.Stream.SubscribeAsync(live, EventLogToken.After(start));
        await live.WaitForAsync(Count);

        var observer = new RecordingObserver();
        var clock = Stopwatch.StartNew();
        await cluster.Stream.SubscribeAsync(observer, EventLogToken.After(start));
        var received = await observer.WaitForAsync(Count);
        clock.Stop();
        output.WriteLine($"event-log stream, {(persistent ? "PostgreSQL" : "in-memory")} log: {Count} events replayed from an old token in {clock.Elapsed.TotalSeconds:F2} s ({Count / clock.Elapsed.TotalSeconds:F0}/s; cache 8,192 events, pages of 1,000, deliveries of 100)");
        Assert.Equal((await ReadAllAsync(store, start)).Select(e => e.Position), received.Select(r => r.Position));
    }

    private static string? Postgres(bool persistent) => persistent ? TestEnvironment.Postgres : null;

    private static double Percentile(double[] sorted, double percent) => sorted[(int)Math.Clamp(Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task AppendAsync(IEventLogStore store, string prefix, int count)
    {
        for (var i = 0; i < count; i += 5)
        {
            await store.AppendAsync(Enumerable.Range(i, Math.Min(5, count - i)).Select(k => EventLogStreamCluster.NewEvent($"{prefix}-{k}")).ToList());
        }
    }

    private static async Task<List<LoggedEvent>> ReadAllAsync(IEventLogStore store, long after)
    {
        var all = new List<LoggedEvent>();
        while (true)
        {
            var page = await store.ReadAsync(after, 1000);
            if (page.Count == 0) return all;
            all.AddRange(page);
            after = page[^1].Position;
        }
    }
}
