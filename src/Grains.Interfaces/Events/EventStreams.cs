namespace InMemoryDb.Events;

/// <summary>
/// Where the event log is played as an Orleans stream: the stream <see cref="Log"/> of the stream provider
/// <see cref="ProviderName"/> carries every event of the log, once, in ascending position order, with an
/// <see cref="EventLogToken"/> (the event's position) as its sequence token. Subscribe from a silo or from an Orleans
/// client (<see cref="EventLogStreamsClient.AddEventLogStreams"/>), with a token to resume from a position:
/// <code>
/// var stream = client.GetStreamProvider(EventStreams.ProviderName).GetStream&lt;EventEnvelope&gt;(EventStreams.Log);
/// await stream.SubscribeAsync(observer, EventLogToken.After(lastSeenPosition));
/// </code>
/// </summary>
public static class EventStreams
{
    /// <summary>The stream provider's name.</summary>
    public const string ProviderName = "events";

    /// <summary>The stream namespace of <see cref="Log"/>.</summary>
    public const string LogNamespace = "log";

    /// <summary>The key of <see cref="Log"/> within <see cref="LogNamespace"/>.</summary>
    public const string LogKey = "all";

    /// <summary>The one stream that plays the whole event log, in position order.</summary>
    public static readonly StreamId Log = StreamId.Create(LogNamespace, LogKey);
}
