using InMemoryDb.Events;
using InMemoryDb.Grains.Events.Streams;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;

namespace InMemoryDb.Silo.Hosting;

/// <summary>The event log played as an Orleans stream: the silo side of the stream provider <see cref="EventStreams.ProviderName"/>.</summary>
public static class EventLogStreams
{
    /// <summary>
    /// Adds the stream provider <see cref="EventStreams.ProviderName"/>, whose one queue is the event log: the silo that
    /// owns it reads the log by position (<see cref="EventLogStreamOptions"/> from <c>InMemoryDb:EventLogStreams</c>) and
    /// delivers every event on <see cref="EventStreams.Log"/>, resumable from any position. Needs an
    /// <c>IEventLogStore</c> and the pub-sub grain storage (<c>PubSubStore</c>) in the silo's services.
    /// </summary>
    public static ISiloBuilder AddEventLogStreams(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = OptionsFrom(configuration);
        return silo.AddPersistentStreams(
            EventStreams.ProviderName,
            (services, name) => new EventLogAdapterFactory(name, options, services),
            streams => streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = options.PollPeriod;
                o.BatchContainerBatchSize = options.DeliveryBatchSize;
            })));
    }

    /// <summary>The options of <c>InMemoryDb:EventLogStreams</c> (defaults for what is not set), checked.</summary>
    public static EventLogStreamOptions OptionsFrom(IConfiguration configuration)
    {
        var section = configuration.GetSection(EventLogStreamOptions.Section);
        var defaults = new EventLogStreamOptions();
        return new EventLogStreamOptions
        {
            PollPeriod = section.GetValue(nameof(EventLogStreamOptions.PollPeriod), defaults.PollPeriod),
            ReadLimit = section.GetValue(nameof(EventLogStreamOptions.ReadLimit), defaults.ReadLimit),
            ReadMaxBytes = section.GetValue(nameof(EventLogStreamOptions.ReadMaxBytes), defaults.ReadMaxBytes),
            CacheCapacity = section.GetValue(nameof(EventLogStreamOptions.CacheCapacity), defaults.CacheCapacity),
            CacheMaxBytes = section.GetValue(nameof(EventLogStreamOptions.CacheMaxBytes), defaults.CacheMaxBytes),
            DeliveryBatchSize = section.GetValue(nameof(EventLogStreamOptions.DeliveryBatchSize), defaults.DeliveryBatchSize),
            KeepAlivePeriod = section.GetValue(nameof(EventLogStreamOptions.KeepAlivePeriod), defaults.KeepAlivePeriod),
            RetryDelay = section.GetValue(nameof(EventLogStreamOptions.RetryDelay), defaults.RetryDelay),
        }.Validated();
    }
}
