using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace InMemoryDb.Grains.Events;

/// <summary>
/// This silo's handle on the event-log streams: one stream object per stream key, resolved once and shared by every
/// grain that publishes. (A stream resolved through a grain is cached in that activation: a stream directory, the
/// stream and its producer, about a dozen objects per activation, which every garbage collection then copies and
/// scans for as long as the activation lives.) Thread-safe.
/// </summary>
public sealed class EventStreamPublisher(IServiceProvider services)
{
    private readonly IAsyncStream<EventEnvelope>?[] _streams = new IAsyncStream<EventEnvelope>?[EventStreams.Partitions];

    /// <summary>Publishes <paramref name="item"/> on its stream (<see cref="StreamKey"/>).</summary>
    public Task PublishAsync(EventEnvelope item)
    {
        var key = StreamKey(item);
        var stream = Volatile.Read(ref _streams[key]) ?? Resolve(key);
        return stream.OnNextAsync(item);
    }

    /// <summary>The event-log stream an event goes to: one per hash bucket of entity and key, so one entity's events stay in order.</summary>
    private static int StreamKey(EventEnvelope item) => Partitioning.Bucket(item.Entity + "/" + item.Key, EventStreams.Partitions);

    private IAsyncStream<EventEnvelope> Resolve(int key)
    {
        var provider = services.GetRequiredKeyedService<IStreamProvider>(EventStreams.ProviderName);
        var stream = provider.GetStream<EventEnvelope>(StreamId.Create(EventStreams.Namespace, key.ToString(CultureInfo.InvariantCulture)));
        return Interlocked.CompareExchange(ref _streams[key], stream, null) ?? stream;
    }
}
