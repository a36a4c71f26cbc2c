using InMemoryDb.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace InMemoryDb.Silo.Hosting;

/// <summary>Composes an Orleans client of the service's cluster from the same configuration as the silos.</summary>
public static class ClientBuilderExtensions
{
    /// <summary>How often a client re-reads the gateway list (Orleans' default is a minute); <c>InMemoryDb:GatewayListRefreshPeriod</c>.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Connects to the cluster's gateways: those registered in Redis when <c>ConnectionStrings:Redis</c> is set
    /// (the cluster deployment), otherwise the gateway port on this machine (localhost clustering). With
    /// <c>Orleans:Tls:CertificatePath</c> set, connects over mutual TLS with the same settings as the silos. The client
    /// can subscribe to the event log (<see cref="EventStreams.Log"/>). Calls through a silo that dies fail once it is
    /// declared dead and are retried once where safe (<see cref="GatewayWatch"/>, <see cref="CallRetry"/>).
    /// </summary>
    public static IClientBuilder AddInMemoryDbClient(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = InMemoryDbSettings.From(configuration);
        if (settings.UsesRedisClustering)
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(settings.Redis!));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }
        if (settings.Tls is not null)
        {
            var tls = ClusterTls.Load(settings.Tls);
            client.UseTls(tls.Certificate, tls.Configure);
        }
        client.Configure<ClientMessagingOptions>(o =>
        {
            o.MaxMessageBodySize = SiloBuilderExtensions.MaxMessageBodySize;
            if (settings.ResponseTimeout is { } timeout) o.ResponseTimeout = timeout;
        });
        // Leaving a gateway whose silo died within a second or so of its death, failing the calls in flight through
        // it at once, and retrying those that cannot do anything twice (reads, calls refused before they ran).
        var refresh = configuration.GetValue("InMemoryDb:GatewayListRefreshPeriod", GatewayListRefreshPeriod);
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = refresh);
        client.AddOutgoingGrainCallFilter<CallRetry>();
        client.Services.AddHostedService<GatewayWatch>();
        client.Services.AddSingleton<InMemoryDb.Grains.KeyValue.KeyValueReader>();
        // Subscribing to the event log (EventStreams.Log), with a token to resume from a position.
        client.AddEventLogStreams();
        // Subscribing to the streaming platform's replies (StreamingKeys.ReplyStream).
        client.AddMemoryStreams(InMemoryDb.Streaming.StreamingKeys.ReplyStreamProvider);
        return client;
    }
}
