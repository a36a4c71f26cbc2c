using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace InMemoryDb.Grains.Events.Streams;

/// <summary>
/// The silo side of the event-log stream provider (<see cref="EventStreams.ProviderName"/>): one queue, the log
/// itself, read by the silo that owns it (<see cref="EventLogReceiver"/>), cached and replayed from any position
/// (<see cref="EventLogCache"/>). Rewindable, read-only: the commit that writes an event to the log publishes it.
/// </summary>
public sealed class EventLogAdapterFactory : IQueueAdapterFactory, IQueueAdapter, IQueueAdapterCache
{
    private readonly EventLogStreamOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly ConcurrentDictionary<QueueId, EventLogCache> _caches = new();

    /// <summary>The factory of provider <paramref name="name"/>.</summary>
    public EventLogAdapterFactory(string name, EventLogStreamOptions options, IServiceProvider services)
    {
        Name = name;
        _options = options.Validated();
        _services = services;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("InMemoryDb.Grains.Events.Streams.EventLogStream");
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = 1 }, name);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool IsRewindable => true;

    /// <inheritdoc />
    // Not ReadOnly: then Orleans refuses a producer with "Stream provider events is ReadOnly"; this way it gets
    // NotSupportedException with ReadOnlyMessage, which says how events are published.
    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    /// <inheritdoc />
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(this);

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => this;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    /// <inheritdoc />
    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
        => throw new NotSupportedException(EventLogStreamsClient.ReadOnlyMessage);

    /// <inheritdoc />
    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        // The pulling agent creates a queue's cache, then its receiver; the receiver feeds and wakes this cache.
        var cache = NewCache();
        _caches[queueId] = cache;
        return cache;
    }

    /// <inheritdoc />
    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new EventLogReceiver(_caches.GetOrAdd(queueId, _ => NewCache()), _logger);

    /// <summary>True while this silo reads the log (owns its queue).</summary>
    internal bool ReadsTheLog => _caches.Values.Any(c => c.IsStarted && !c.IsStopped);

    private EventLogCache NewCache() => new(EventStreams.Log, _services.GetRequiredService<IEventLogStore>(), _options, _logger);
}
