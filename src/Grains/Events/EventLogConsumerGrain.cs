using Orleans.Streams;
using Orleans.Streams.Core;

namespace InMemoryDb.Grains.Events;

/// <summary>The event log's consumer contract (one consumer per event-log stream).</summary>
public interface IEventLogConsumerGrain : IGrainWithStringKey;

/// <summary>
/// Subscribed implicitly to every event-log stream; hands each event to this silo's <see cref="EventLogWriter"/>,
/// which stores them in batches and confirms them to the grains that emitted them.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class EventLogConsumerGrain(EventLogWriter writer) : Grain, IEventLogConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<EventEnvelope>
{
    /// <inheritdoc />
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
        => handleFactory.Create<EventEnvelope>().ResumeAsync(this);

    /// <inheritdoc />
    public Task OnNextAsync(EventEnvelope item, StreamSequenceToken? token = null)
    {
        writer.Enqueue(item);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
