using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// How fast the cluster declares a silo dead, so the grains it hosted re-activate elsewhere. Orleans' defaults
/// (5 s probes, 3 missed, table read every 60 s) take 15 s or more; with these a killed silo, whose refused
/// connections fail each probe at once, is declared dead in 2–4 s (measured), and a hung one within about 3 × 8 s. Every value can be overridden under <c>Orleans:Membership</c>
/// (the names of <see cref="ClusterMembershipOptions"/>, e.g. <c>Orleans__Membership__ProbeTimeout=00:00:03</c>).
/// </summary>
public static class FailureDetection
{
    /// <summary>The initial probe timeout (the effective one adapts between half and four times it).</summary>
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
        services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
    }
}
