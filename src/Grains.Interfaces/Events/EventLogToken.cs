using System.Globalization;
using Orleans.Streams;

namespace InMemoryDb.Events;

/// <summary>
/// The sequence token of an event on <see cref="EventStreams.Log"/>: the event's position in the log. Positions
/// ascend in log order but are neither dense nor small (never compute one; take it from an event). As a subscription's
/// start, a token is inclusive, as Orleans tokens are: <c>SubscribeAsync(observer, new EventLogToken(p))</c> delivers
/// the event at position <c>p</c> if there is one, then every later one; to resume after the last event seen, use
/// <see cref="After"/>. Compares with any token by <see cref="StreamSequenceToken.SequenceNumber"/>, so an
/// <c>EventSequenceTokenV2(position)</c> works as well.
/// </summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.event-log-token")]
public sealed class EventLogToken : StreamSequenceToken
{
    /// <summary>A token at <paramref name="position"/> (inclusive as a start).</summary>
    public EventLogToken(long position)
    {
        SequenceNumber = position;
    }

    /// <summary>The event's position in the log.</summary>
    public long Position => SequenceNumber;

    /// <inheritdoc />
    [Id(0)]
    public override long SequenceNumber { get; protected set; }

    /// <summary>Always 0: one event per position.</summary>
    [Id(1)]
    public override int EventIndex { get; protected set; }

    /// <summary>
    /// The start of a subscription that delivers every event after <paramref name="position"/> (exclusive), e.g. the
    /// position of the last event a subscriber processed; <c>After(0)</c> replays the whole log.
    /// </summary>
    public static EventLogToken After(long position)
        => position < long.MaxValue
            ? new EventLogToken(Math.Max(position, 0) + 1)
            : throw new ArgumentOutOfRangeException(nameof(position), position, "No position follows the largest one.");

    /// <inheritdoc />
    public override bool Equals(StreamSequenceToken? other)
        => other is not null && other.SequenceNumber == SequenceNumber && other.EventIndex == EventIndex;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamSequenceToken other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => SequenceNumber.GetHashCode();

    /// <inheritdoc />
    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is null) return 1;
        var bySequence = SequenceNumber.CompareTo(other.SequenceNumber);
        return bySequence != 0 ? bySequence : EventIndex.CompareTo(other.EventIndex);
    }

    /// <inheritdoc />
    public override string ToString() => "EventLogToken(" + SequenceNumber.ToString(CultureInfo.InvariantCulture) + ")";
}
