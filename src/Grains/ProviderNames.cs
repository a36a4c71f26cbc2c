namespace InMemoryDb.Grains;

/// <summary>The names of the Orleans providers the grains use, in one place.</summary>
public static class ProviderNames
{
    /// <summary>Grain state storage: PostgreSQL when configured (writes grouped, <see cref="Persistence.PostgresGroupCommit"/>), otherwise in memory.</summary>
    public const string Storage = "inmemorydb";

    /// <summary>Orleans' ADO.NET provider on PostgreSQL, which serves the reads and clears of <see cref="Storage"/>.</summary>
    public const string StorageReads = "inmemorydb-reads";

    /// <summary>
    /// Storage of stream subscriptions, in memory: an explicit subscription to the event log lasts as long as the silo
    /// holding its pub-sub grain, after which its subscriber subscribes again from its last position.
    /// </summary>
    public const string PubSub = "PubSubStore";

    /// <summary>The event-log stream provider: the log played as a stream (<see cref="Events.Streams.EventLogAdapterFactory"/>).</summary>
    public const string EventStream = EventStreams.ProviderName;
}
