using Orleans.Hosting;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace InMemoryDb.Events;

/// <summary>The client side of the event-log stream provider, for an Orleans client of the cluster.</summary>
public static class EventLogStreamsClient
{
    /// <summary>The answer to a grain or client that produces on the event-log stream provider.</summary>
    public const string ReadOnlyMessage =
        "The event-log stream provider is read-only: an event is published by the commit that writes it to the event log; " +
        "the stream only plays the log.";

    /// <summary>
    /// Registers the stream provider <see cref="EventStreams.ProviderName"/> on an Orleans client, so that it can
    /// subscribe to <see cref="EventStreams.Log"/> (with an <see cref="EventLogToken"/> to resume from a position).
    /// Events are read by the silos and delivered to the client's observers through its gateway; the client reads
    /// nothing itself, and cannot produce.
    /// </summary>
    public static IClientBuilder AddEventLogStreams(this IClientBuilder client)
        => client.AddPersistentStreams(EventStreams.ProviderName, (_, name) => new ClientAdapterFactory(name), null);

    /// <summary>A client's adapter: rewindable (so subscriptions may carry a token), read-only, no receivers.</summary>
    private sealed class ClientAdapterFactory(string name) : IQueueAdapterFactory, IQueueAdapter
    {
        private readonly HashRingBasedStreamQueueMapper _mapper = new(new() { TotalQueueCount = 1 }, name);

        public string Name => name;

        public bool IsRewindable => true;

        // Not ReadOnly: then Orleans refuses a producer with "Stream provider events is ReadOnly"; this way it gets
        // NotSupportedException with ReadOnlyMessage, which says how events are published.
        public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

        public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(this);

        public IQueueAdapterCache GetQueueAdapterCache() => throw new NotSupportedException("An Orleans client has no queue cache: the silos read the event log.");

        public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

        public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

        public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
            => throw new NotSupportedException(ReadOnlyMessage);

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => throw new NotSupportedException("An Orleans client has no queue receiver: the silos read the event log.");
    }
}
