namespace InMemoryDb.Grains;

/// <summary>The names of the Orleans providers the grains use, in one place.</summary>
public static class ProviderNames
{
    /// <summary>Grain state storage: ADO.NET on PostgreSQL when configured, otherwise in memory.</summary>
    public const string Storage = "inmemorydb";

    /// <summary>Storage of stream subscriptions (only implicit subscriptions are used, so memory suffices).</summary>
    public const string PubSub = "PubSubStore";

    /// <summary>The event-log stream provider.</summary>
    public const string EventStream = EventStreams.ProviderName;
}
