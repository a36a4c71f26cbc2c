using Microsoft.Extensions.Configuration;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// The settings every process of the service reads, from the standard configuration sources
/// (appsettings.json, environment variables such as <c>ConnectionStrings__Postgres</c>, command line).
/// </summary>
public sealed record InMemoryDbSettings
{
    /// <summary>PostgreSQL connection string (<c>ConnectionStrings:Postgres</c>); null means in-memory storage.</summary>
    public string? Postgres { get; init; }

    /// <summary>
    /// Redis connection string (<c>ConnectionStrings:Redis</c>, StackExchange.Redis syntax). Set: silos and clients
    /// find each other through Redis (the cluster deployment). Null: localhost clustering (one silo on this machine).
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>
    /// The address a silo advertises to the cluster (<c>Orleans:AdvertisedIP</c>): an IP address, or a host name
    /// resolved at start-up. Null: this host's first non-loopback IPv4 address. Redis clustering only.
    /// </summary>
    public string? AdvertisedIP { get; init; }

    /// <summary>
    /// Listen on every interface (<c>Orleans:ListenOnAnyHostAddress</c>) rather than only on the advertised address,
    /// e.g. when the advertised address is translated (NAT). Redis clustering only.
    /// </summary>
    public bool ListenOnAnyHostAddress { get; init; }

    /// <summary>Orleans cluster id (<c>Orleans:ClusterId</c>).</summary>
    public string ClusterId { get; init; } = "inmemorydb";

    /// <summary>Orleans service id (<c>Orleans:ServiceId</c>); stored data is scoped by it.</summary>
    public string ServiceId { get; init; } = "inmemorydb";

    /// <summary>Silo-to-silo port (<c>Orleans:SiloPort</c>).</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Client gateway port (<c>Orleans:GatewayPort</c>).</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>
    /// TLS for the silo and gateway ports (<c>Orleans:Tls:*</c>); null when <c>Orleans:Tls:CertificatePath</c> is not set.
    /// Silos and clients read the same settings: every connection is mutual TLS between cluster members.
    /// </summary>
    public OrleansTlsSettings? Tls { get; init; }

    /// <summary>
    /// How long a grain call may take before it fails (<c>Orleans:ResponseTimeout</c>, e.g. <c>00:00:10</c>); null keeps
    /// Orleans' 30 s. A call in flight through a silo that dies fails only then, so fail-over deployments shorten it.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>How long a starting silo waits for PostgreSQL (<c>InMemoryDb:StartupTimeoutSeconds</c>).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>True when grain state and the event log are durable in PostgreSQL.</summary>
    public bool IsPersistent => !string.IsNullOrWhiteSpace(Postgres);

    /// <summary>True when silos and clients cluster through Redis.</summary>
    public bool UsesRedisClustering => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Reads the settings.</summary>
    public static InMemoryDbSettings From(IConfiguration configuration)
    {
        var defaults = new InMemoryDbSettings();
        return new InMemoryDbSettings
        {
            Postgres = configuration.GetConnectionString("Postgres"),
            Redis = configuration.GetConnectionString("Redis"),
            AdvertisedIP = configuration["Orleans:AdvertisedIP"] is { Length: > 0 } advertised ? advertised : null,
            ListenOnAnyHostAddress = configuration.GetValue("Orleans:ListenOnAnyHostAddress", false),
            ClusterId = configuration["Orleans:ClusterId"] ?? defaults.ClusterId,
            ServiceId = configuration["Orleans:ServiceId"] ?? defaults.ServiceId,
            SiloPort = configuration.GetValue("Orleans:SiloPort", defaults.SiloPort),
            GatewayPort = configuration.GetValue("Orleans:GatewayPort", defaults.GatewayPort),
            ResponseTimeout = configuration.GetValue<TimeSpan?>("Orleans:ResponseTimeout"),
            Tls = OrleansTlsSettings.From(configuration),
            StartupTimeout = TimeSpan.FromSeconds(configuration.GetValue("InMemoryDb:StartupTimeoutSeconds", 60)),
        };
    }
}
