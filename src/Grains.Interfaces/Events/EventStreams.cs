namespace InMemoryDb.Events;

/// <summary>
/// Where the event log is published. Every event goes to stream <c>(Namespace, partition)</c> of the stream
/// provider <see cref="ProviderName"/>, the partition being a hash of the event's entity and key, so the events
/// of one entity stay in order.
/// </summary>
public static class EventStreams
{
    /// <summary>The stream provider's name.</summary>
    public const string ProviderName = "events";

    /// <summary>The stream namespace of the event log.</summary>
    public const string Namespace = "eventlog";

    /// <summary>How many event-log streams there are (keys "0" to "7").</summary>
    public const int Partitions = 8;
}
