using Orleans.Streams;

namespace InMemoryDb.Grains.Events.Streams;

/// <summary>
/// Not an event: what the receiver hands the pulling agent when the log has nothing new but the stream needs its
/// attention (a cursor's read of the log completed, the receiver started, or the log was quiet for a while). The agent
/// registers the stream or resumes its idle cursors, as it does for any message of the stream; the cache drops it.
/// </summary>
internal sealed class EventLogWakeUp(StreamId streamId, StreamSequenceToken token) : IBatchContainer
{
    /// <inheritdoc />
    public StreamId StreamId => streamId;

    /// <summary>The next position the receiver reads (where a subscription without a token starts).</summary>
    public StreamSequenceToken SequenceToken => token;

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() => [];

    /// <inheritdoc />
    public bool ImportRequestContext() => false;
}
