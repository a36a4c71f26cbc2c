using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// How fast the cluster declares a silo dead, so the grains it hosted re-activate elsewhere; chosen on purpose
/// (docs/decisions/fencing-and-deadlines.md). A killed silo, whose refused connections fail each probe at once, is
/// declared dead within a few seconds; a hung one (paused, frozen) after <see cref="MissedProbesLimit"/> probes in a
/// row each waited <see cref="ProbeTimeout"/>: 6 s, plus up to one probe period, then the vote is written. The probe
/// timeout is fixed (Orleans would otherwise adapt it up to four times, which made a hung silo take about 25 s), and
/// the shortest possible declaration (missed probes × the shortest timeout) bounds the membership lease
/// (<c>InMemoryDb.Grains.Fencing.LeaseOptions</c>). Every value can be overridden under <c>Orleans:Membership</c>
/// (the names of <see cref="ClusterMembershipOptions"/>, e.g. <c>Orleans__Membership__ProbeTimeout=00:00:03</c>).
/// </summary>
public static class FailureDetection
{
    /// <summary>The probe timeout, also its minimum and maximum (Orleans adapts it between them).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes before a silo votes its peer dead.</summary>
    public const int MissedProbesLimit = 3;

    /// <summary>How often each silo re-reads the membership table besides gossip.</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Applies the defaults, then the configured overrides.</summary>
    public static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;
            o.TableRefreshTimeout = TableRefreshTimeout;
        });
        var section = configuration.GetSection("Orleans:Membership");
        services.Configure<ClusterMembershipOptions>(section);
        // The probe timeout does not adapt unless its bounds are configured: detection time stays what was chosen.
        services.PostConfigure<ClusterMembershipOptions>(o =>
        {
            if (section["MinProbeTimeout"] is null) o.MinProbeTimeout = o.ProbeTimeout;
            if (section["MaxProbeTimeout"] is null) o.MaxProbeTimeout = o.ProbeTimeout;
        });
    }
}
