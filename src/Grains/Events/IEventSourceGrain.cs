namespace InMemoryDb.Grains.Events;

/// <summary>A grain that emits events through an <see cref="EventOutbox"/>: the log writer tells it which are stored.</summary>
public interface IEventSourceGrain : IGrain
{
    /// <summary>These events are durably in the event log; the grain may drop them from its outbox.</summary>
    [OneWay]
    Task ConfirmEventsAsync(Guid[] eventIds);
}
