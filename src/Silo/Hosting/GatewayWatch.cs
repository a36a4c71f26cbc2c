using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Fails a client's calls in flight through a gateway as soon as the cluster's gateway list drops it (its silo was
/// declared dead), instead of at their response time-out: a call sent through a silo that stopped answering (killed,
/// paused) has no other way back. Orleans keeps such calls waiting; its client breaks them only when it stops. The
/// list is read every <see cref="Period"/>; the failed calls are then retried once where safe (<see cref="CallRetry"/>).
/// Orleans' client offers no public hook for this, so the break is found by reflection once, at start; if a
/// future Orleans renames it, this logs a warning and calls fall back to the response time-out.
/// </summary>
public sealed partial class GatewayWatch(IServiceProvider services, ILogger<GatewayWatch> logger) : BackgroundService
{
    /// <summary>How often the gateway list is read.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var breakCalls = FindBreak(services);
        if (breakCalls is null)
        {
            LogNoBreak(logger);
            return;
        }
        var gateways = services.GetRequiredService<IGatewayListProvider>();
        Dictionary<IPEndPoint, int>? known = null;
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Dictionary<IPEndPoint, int> live;
            try
            {
                live = Parse(await gateways.GetGateways());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The list's store is unreachable: nothing is known to have died.
                LogListFailed(logger, e.Message);
                continue;
            }
            if (known is not null)
            {
                foreach (var (endpoint, generation) in known)
                {
                    if (live.ContainsKey(endpoint)) continue;
                    LogGatewayGone(logger, endpoint);
                    // Calls carry the gateway's address as the client knew it: with generation 0, or the silo's own.
                    breakCalls(SiloAddress.New(endpoint, 0));
                    if (generation != 0) breakCalls(SiloAddress.New(endpoint, generation));
                }
            }
            known = live;
        }
    }

    /// <summary>Gateway URIs (<c>gwy.tcp://host:port/generation</c>) by endpoint.</summary>
    private static Dictionary<IPEndPoint, int> Parse(IList<Uri> uris)
    {
        var live = new Dictionary<IPEndPoint, int>();
        foreach (var uri in uris)
        {
            if (!IPAddress.TryParse(uri.Host, out var address)) continue;
            _ = int.TryParse(uri.AbsolutePath.Trim('/'), out var generation);
            live[new IPEndPoint(address, uri.Port)] = generation;
        }
        return live;
    }

    private static Action<SiloAddress>? FindBreak(IServiceProvider services)
    {
        var type = typeof(IClusterClient).Assembly.GetType("Orleans.OutsideRuntimeClient");
        var method = type?.GetMethod("BreakOutstandingMessagesToSilo", BindingFlags.Public | BindingFlags.Instance, [typeof(SiloAddress)]);
        var client = type is null ? null : services.GetService(type);
        return method is null || client is null ? null : method.CreateDelegate<Action<SiloAddress>>(client);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {Gateway} left the cluster's gateway list: failing the calls in flight through it")]
    private static partial void LogGatewayGone(ILogger logger, IPEndPoint gateway);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the gateway list failed: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This Orleans client offers no way to fail calls through a dead gateway: they wait for their response time-out")]
    private static partial void LogNoBreak(ILogger logger);
}
