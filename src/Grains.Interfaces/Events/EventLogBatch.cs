using Orleans.Streams;

namespace InMemoryDb.Events;

/// <summary>
/// How one event of the log travels on <see cref="EventStreams.Log"/> (the stream provider's message, never built by
/// subscribers): its sequence token is an <see cref="EventLogToken"/> of the event's position. A subscriber of
/// <c>GetStream&lt;EventEnvelope&gt;</c> receives the <see cref="EventEnvelope"/>; one of <c>GetStream&lt;LoggedEvent&gt;</c>
/// receives the <see cref="LoggedEvent"/> (position included).
/// </summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.event-log-batch")]
public sealed class EventLogBatch : IBatchContainer
{
    [NonSerialized]
    private EventLogToken? _token;

    /// <summary>Wraps <paramref name="logged"/> for <paramref name="streamId"/>.</summary>
    public EventLogBatch(StreamId streamId, LoggedEvent logged)
    {
        StreamId = streamId;
        Logged = logged;
    }

    /// <summary>The stream, <see cref="EventStreams.Log"/>.</summary>
    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The event and its position.</summary>
    [Id(1)]
    public LoggedEvent Logged { get; }

    /// <summary>The event's position in the log.</summary>
    public long Position => Logged.Position;

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => _token ??= new EventLogToken(Logged.Position);

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Logged.Event is T envelope) return [Tuple.Create(envelope, SequenceToken)];
        if (Logged is T logged) return [Tuple.Create(logged, SequenceToken)];
        return [];
    }

    /// <inheritdoc />
    public bool ImportRequestContext() => false;

    /// <inheritdoc />
    public override string ToString() => $"EventLogBatch({Logged.Position}, {Logged.Event.Method} {Logged.Event.Entity}/{Logged.Event.Key})";
}
