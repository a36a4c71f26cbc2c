namespace InMemoryDb.Grains;

/// <summary>The names of the Orleans providers the grains use, in one place.</summary>
public static class ProviderNames
{
    /// <summary>Grain state storage: PostgreSQL when configured (writes grouped, <see cref="Persistence.PostgresGroupCommit"/>), otherwise in memory.</summary>
    public const string Storage = "inmemorydb";

    /// <summary>Orleans' ADO.NET provider on PostgreSQL, which serves the reads and clears of <see cref="Storage"/>.</summary>
    public const string StorageReads = "inmemorydb-reads";

    /// <summary>Storage of stream subscriptions (only implicit subscriptions are used, so memory suffices).</summary>
    public const string PubSub = "PubSubStore";

    /// <summary>The event-log stream provider: the log played as a stream (<see cref="Events.Streams.EventLogAdapterFactory"/>).</summary>
    public const string EventStream = EventStreams.ProviderName;
}
