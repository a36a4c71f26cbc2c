namespace InMemoryDb.Grains.Events.Streams;

/// <summary>How the event-log stream provider reads the log and what it keeps in memory (one set per silo).</summary>
public sealed record EventLogStreamOptions
{
    /// <summary>
    /// How often the silo that owns the log's queue looks for new events when the last look found none; a look that
    /// finds a full page reads on at once. Each look is one read of the event log (one PostgreSQL transaction).
    /// </summary>
    public TimeSpan PollPeriod { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>At most this many events per read of the log (by the queue receiver, and by a cursor catching up).</summary>
    public int ReadLimit { get; init; } = 1000;

    /// <summary>At most this much event content (UTF-8 JSON bytes) per read (at least one event is read whatever its size).</summary>
    public long ReadMaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most recent events kept in memory for subscribers (older ones are read from the log again). Small on purpose:
    /// events cached for tens of seconds outlive the young GC generations and every one costs a full collection later.
    /// On the Rinha profile (one run each, seed 8803, docs/benchmarks/2026-12-07-issue-19.md) the p99 was 34.7 ms with
    /// 8,192 and 21.0 ms with 256.
    /// </summary>
    public int CacheCapacity { get; init; } = 256;

    /// <summary>The most memory, estimated, that the cached events may take.</summary>
    public long CacheMaxBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>At most this many events per delivery to a subscriber (1: one call per event).</summary>
    public int DeliveryBatchSize { get; init; } = 100;

    /// <summary>
    /// When the log has been quiet this long, the receiver reminds the pulling agent of the stream anyway, so that
    /// subscriptions made meanwhile are attached (and the stream is never dropped as inactive).
    /// </summary>
    public TimeSpan KeepAlivePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a cursor waits before reading the log again after a failed read.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public EventLogStreamOptions Validated()
    {
        Positive(PollPeriod, nameof(PollPeriod));
        Positive(KeepAlivePeriod, nameof(KeepAlivePeriod));
        Positive(RetryDelay, nameof(RetryDelay));
        Positive(ReadLimit, nameof(ReadLimit));
        Positive(ReadMaxBytes, nameof(ReadMaxBytes));
        Positive(CacheCapacity, nameof(CacheCapacity));
        Positive(CacheMaxBytes, nameof(CacheMaxBytes));
        Positive(DeliveryBatchSize, nameof(DeliveryBatchSize));
        return this;
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new InvalidOperationException($"{Section}:{name} must be a positive duration such as 00:00:00.050; it is {value}.");
    }

    private static void Positive(long value, string name)
    {
        if (value <= 0) throw new InvalidOperationException($"{Section}:{name} must be at least 1; it is {value}.");
    }

    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "InMemoryDb:EventLogStreams";
}
