using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Says at start-up how the silo and gateway ports are protected: mutual TLS with which certificate and trust, or —
/// a Redis-clustered silo on loopback without TLS — a warning that they accept any Orleans client.
/// </summary>
internal sealed partial class ClusterTransportAnnouncer(ClusterTls? tls, string ports, ILogger<ClusterTransportAnnouncer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(ClusterTransportAnnouncer), ServiceLifecycleStage.RuntimeInitialize, _ =>
        {
            if (tls is null) LogUnauthenticated(logger, ports);
            else LogTls(logger, ports, tls.Describe());
            return Task.CompletedTask;
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orleans TLS is off: the silo and gateway ports ({Ports}) accept any Orleans client " +
        "without credentials. Allowed on loopback only; set Orleans:Tls:CertificatePath and Orleans:Tls:CaPath to turn it on (docs/operations/security.md).")]
    private static partial void LogUnauthenticated(ILogger logger, string ports);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans TLS is on for the silo and gateway ports ({Ports}), clients and silos alike: {Trust}")]
    private static partial void LogTls(ILogger logger, string ports, string trust);
}
