using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;

namespace InMemoryDb.Silo.Hosting;

/// <summary>Composes an Orleans client of the service's cluster from the same configuration as the silos.</summary>
public static class ClientBuilderExtensions
{
    /// <summary>Connects to the cluster's gateways (localhost clustering: the gateway port on this machine).</summary>
    public static IClientBuilder AddInMemoryDbClient(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = InMemoryDbSettings.From(configuration);
        client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = SiloBuilderExtensions.MaxMessageBodySize);
        return client;
    }
}
