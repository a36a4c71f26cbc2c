using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Keeps a client off gateways that stopped answering. Every <see cref="Period"/> it
/// <list type="bullet">
/// <item>reads the cluster's gateway list: a gateway dropped from it (its silo was declared dead) has its calls in
/// flight failed at once, instead of at their response time-out (a call sent through a silo that stopped answering
/// has no other way back);</item>
/// <item>calls <see cref="Probes"/> gateway probes (<see cref="IGatewayProbeGrain"/>, stateless workers, so each runs on
/// the gateway its call went through): a gateway whose probes went unanswered <see cref="MissesToLeave"/> rounds in a
/// row while another gateway answered is left for <see cref="Hold"/> (calls in flight through it fail; new calls take
/// another gateway), long before the cluster declares a paused silo dead.</item>
/// </list>
/// The failed calls are retried once where safe (<see cref="CallRetry"/>). Orleans' client has no public hook to fail
/// calls or leave a gateway, so its two internal methods are found by reflection once, at start; if a future Orleans
/// renames them, this logs a warning and calls fall back to the response time-out.
/// </summary>
public sealed partial class GatewayWatch(IServiceProvider services, ILogger<GatewayWatch> logger) : BackgroundService
{
    /// <summary>How often the gateway list is read and the gateways are probed.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    /// <summary>Probe grains called each round (spread over the gateways by Orleans' per-grain routing).</summary>
    public const int Probes = 8;

    /// <summary>How long a probe may take.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Unanswered rounds in a row before a gateway is left.</summary>
    public const int MissesToLeave = 2;

    /// <summary>How long a gateway that stopped answering is avoided (longer than the cluster needs to declare it dead).</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(15);

    private readonly Dictionary<int, IPEndPoint> _probeSeenOn = [];
    private readonly Dictionary<IPEndPoint, int> _misses = [];
    private readonly Dictionary<IPEndPoint, DateTime> _left = [];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var orleans = OrleansClientInternals.Find(services);
        if (orleans is null)
        {
            LogNoHooks(logger);
            return;
        }
        var gateways = services.GetRequiredService<IGatewayListProvider>();
        var grains = services.GetRequiredService<IGrainFactory>();
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
                    orleans.BreakCalls(endpoint, generation);
                }
            }
            known = live;
            await ProbeAsync(grains, live, orleans);
        }
    }

    private async Task ProbeAsync(IGrainFactory grains, Dictionary<IPEndPoint, int> live, OrleansClientInternals orleans)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, Probes).Select(async id =>
        {
            try
            {
                var answer = await grains.GetGrain<IGatewayProbeGrain>(id).GatewayAsync().WaitAsync(ProbeTimeout);
                return (id, Gateway: IPEndPoint.TryParse(answer, out var endpoint) ? endpoint : null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return (id, Gateway: (IPEndPoint?)null);
            }
        }));
        var answered = new HashSet<IPEndPoint>();
        foreach (var (id, gateway) in results)
        {
            if (gateway is null) continue;
            _probeSeenOn[id] = gateway;
            answered.Add(gateway);
        }
        var silent = results.Where(r => r.Gateway is null && _probeSeenOn.ContainsKey(r.id)).Select(r => _probeSeenOn[r.id]).ToHashSet();
        silent.ExceptWith(answered);
        foreach (var gateway in answered) _misses.Remove(gateway);
        if (logger.IsEnabled(LogLevel.Debug)) LogRound(logger, string.Join(", ", results.Select(r => $"{r.id}:{r.Gateway?.ToString() ?? "-"}")));
        var now = DateTime.UtcNow;
        foreach (var (gateway, since) in _left.ToArray())
        {
            if (now - since > Hold || !live.ContainsKey(gateway)) _left.Remove(gateway);
        }
        foreach (var gateway in silent)
        {
            _misses[gateway] = _misses.GetValueOrDefault(gateway) + 1;
            if (_misses[gateway] < MissesToLeave || answered.Count == 0 || !live.TryGetValue(gateway, out var generation) || _left.ContainsKey(gateway)) continue;
            LogLeaving(logger, gateway, _misses[gateway]);
            _left[gateway] = now;
            _misses.Remove(gateway);
            orleans.BreakCalls(gateway, generation);
        }
        // Orleans puts a gateway back with each list refresh while the cluster still counts it alive: keep it out.
        foreach (var gateway in _left.Keys) orleans.Leave(gateway);
    }

    /// <summary>Gateway URIs (<c>gwy.tcp://host:port/generation</c>): generation by endpoint.</summary>
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

    /// <summary>The two internal methods of Orleans' client this needs.</summary>
    private sealed class OrleansClientInternals(Action<SiloAddress> breakCalls, Action<SiloAddress> markDead)
    {
        public static OrleansClientInternals? Find(IServiceProvider services)
        {
            var assembly = typeof(IClusterClient).Assembly;
            var breakCalls = Bind(services, assembly.GetType("Orleans.OutsideRuntimeClient"), "BreakOutstandingMessagesToSilo");
            var markDead = Bind(services, assembly.GetType("Orleans.Messaging.GatewayManager"), "MarkAsDead");
            return breakCalls is null || markDead is null ? null : new OrleansClientInternals(breakCalls, markDead);
        }

        /// <summary>Fails the calls in flight through the gateway (as the client addressed it: generation 0, or the silo's own).</summary>
        public void BreakCalls(IPEndPoint endpoint, int generation)
        {
            markDead(SiloAddress.New(endpoint, 0));
            breakCalls(SiloAddress.New(endpoint, 0));
            if (generation != 0) breakCalls(SiloAddress.New(endpoint, generation));
        }

        /// <summary>Takes the gateway out of the client's live gateways (until the next list refresh puts it back).</summary>
        public void Leave(IPEndPoint endpoint) => markDead(SiloAddress.New(endpoint, 0));

        private static Action<SiloAddress>? Bind(IServiceProvider services, Type? type, string name)
        {
            var method = type?.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, [typeof(SiloAddress)]);
            var target = type is null ? null : services.GetService(type);
            return method is null || target is null ? null : method.CreateDelegate<Action<SiloAddress>>(target);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {Gateway} left the cluster's gateway list: failing the calls in flight through it")]
    private static partial void LogGatewayGone(ILogger logger, IPEndPoint gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {Gateway} did not answer {Rounds} probe rounds in a row while another did: leaving it, failing the calls in flight through it")]
    private static partial void LogLeaving(ILogger logger, IPEndPoint gateway, int rounds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Gateway probes (probe:silo generation): {Results}")]
    private static partial void LogRound(ILogger logger, string results);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the gateway list failed: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This Orleans client offers no way to fail calls through a dead gateway or to leave one: calls wait for their response time-out")]
    private static partial void LogNoHooks(ILogger logger);
}
