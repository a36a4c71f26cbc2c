namespace InMemoryDb.Events;

/// <summary>A page of the event log before it is read: how many events, their JSON size, and the position of the last.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.event-range")]
public sealed record EventRange(
    [property: Id(0)] int Count,
    [property: Id(1)] long Bytes,
    [property: Id(2)] long LastPosition);
