using InMemoryDb.Events;
using Orleans.Streams;

namespace InMemoryDb.Tests.Integration;

/// <summary>A grain that subscribes to the event log and records the positions it receives.</summary>
public interface IEventLogRecorderGrain : IGrainWithStringKey
{
    /// <summary>Subscribes from after <paramref name="after"/>.</summary>
    Task SubscribeAsync(long after);

    /// <summary>The positions received so far, in delivery order.</summary>
    Task<long[]> PositionsAsync();
}

/// <inheritdoc cref="IEventLogRecorderGrain" />
public sealed class EventLogRecorderGrain : Grain, IEventLogRecorderGrain, IAsyncObserver<EventEnvelope>
{
    private readonly List<long> _positions = [];

    /// <inheritdoc />
    public async Task SubscribeAsync(long after)
        => await this.GetStreamProvider(EventStreams.ProviderName).GetStream<EventEnvelope>(EventStreams.Log).SubscribeAsync(this, EventLogToken.After(after));

    /// <inheritdoc />
    public Task<long[]> PositionsAsync() => Task.FromResult(_positions.ToArray());

    /// <inheritdoc />
    public Task OnNextAsync(EventEnvelope item, StreamSequenceToken? token = null)
    {
        _positions.Add(token!.SequenceNumber);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
