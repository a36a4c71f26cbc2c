namespace InMemoryDb.Events;

/// <summary>An event as read back from the log, with its position (ascending in log order).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.logged-event")]
public sealed record LoggedEvent(
    [property: Id(0)] long Position,
    [property: Id(1)] EventEnvelope Event);
