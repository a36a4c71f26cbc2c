using InMemoryDb.Grains.Fencing;
using System.Net;
using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace InMemoryDb.Tests.Unit;

/// <summary>The cluster deployment's configuration: Redis clustering settings, failure detection, advertised address.</summary>
public sealed class ClusterHostingTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void SettingsReadTheClusterKeys()
    {
        var settings = InMemoryDbSettings.From(Configuration(
            ("ConnectionStrings:Redis", "127.0.0.1:6380"), ("Orleans:AdvertisedIP", "10.1.2.3"),
            ("Orleans:ListenOnAnyHostAddress", "true"), ("Orleans:ResponseTimeout", "00:00:07")));
        Assert.True(settings.UsesRedisClustering);
        Assert.Equal("10.1.2.3", settings.AdvertisedIP);
        Assert.True(settings.ListenOnAnyHostAddress);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.ResponseTimeout);

        var defaults = InMemoryDbSettings.From(Configuration());
        Assert.False(defaults.UsesRedisClustering);
        Assert.Null(defaults.AdvertisedIP);
        Assert.False(defaults.ListenOnAnyHostAddress);
        Assert.Null(defaults.ResponseTimeout);
    }

    [Fact]
    public void FailureDetectionIsTunedAndOverridable()
    {
        var tuned = new ServiceCollection();
        FailureDetection.Configure(tuned, Configuration());
        var options = tuned.BuildServiceProvider().GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), options.ProbeTimeout);
        // Fixed, so a hung silo is declared dead after 3 × 2 s, not after up to 3 × 8 s as Orleans' adaptation allows.
        Assert.Equal(TimeSpan.FromSeconds(2), options.MinProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxProbeTimeout);
        Assert.Equal(3, options.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), options.TableRefreshTimeout);
        // The membership lease: two thirds of the shortest death declaration (6 s), confirmed every second.
        Assert.Equal((TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1)), new LeaseOptions().Resolve(options));
        Assert.Throws<InvalidOperationException>(() => new LeaseOptions { Lease = TimeSpan.FromSeconds(6) }.Resolve(options));
        Assert.Throws<InvalidOperationException>(() => new LeaseOptions { RenewPeriod = TimeSpan.FromSeconds(3) }.Resolve(options));

        var overridden = new ServiceCollection();
        FailureDetection.Configure(overridden, Configuration(("Orleans:Membership:ProbeTimeout", "00:00:05"), ("Orleans:Membership:NumMissedProbesLimit", "2")));
        options = overridden.BuildServiceProvider().GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(5), options.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MinProbeTimeout);
        Assert.Equal(2, options.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(10) * 2 / 3, new LeaseOptions().Resolve(options).Lease);
    }

    [Fact]
    public void AdvertisedAddressIsAnIpAHostNameOrThisHost()
    {
        Assert.Equal(IPAddress.Parse("10.1.2.3"), InMemoryDb.Silo.Hosting.SiloBuilderExtensions.AdvertisedAddress("10.1.2.3"));
        Assert.Equal(IPAddress.Loopback, InMemoryDb.Silo.Hosting.SiloBuilderExtensions.AdvertisedAddress("localhost"));
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, InMemoryDb.Silo.Hosting.SiloBuilderExtensions.AdvertisedAddress(null).AddressFamily);
    }

    [Fact]
    public void AClusterWithoutPostgresIsRefused()
    {
        var builder = Host.CreateApplicationBuilder();
        var configuration = Configuration(("ConnectionStrings:Redis", "127.0.0.1:6380"));
        var refused = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(silo => silo.AddInMemoryDb(configuration)));
        Assert.Contains("ConnectionStrings:Postgres", refused.Message);
    }

    [Fact]
    public void GroupCommitSettingsOutOfRangeAreRefusedAtConfiguration()
    {
        Assert.Equal(2, new InMemoryDb.Grains.Persistence.GroupCommitOptions().Validated().Writers);
        var refused = Assert.Throws<InvalidOperationException>(() => new InMemoryDb.Grains.Persistence.GroupCommitOptions { Writers = 0 }.Validated());
        Assert.Contains("InMemoryDb:GroupCommit", refused.Message);
        Assert.Throws<InvalidOperationException>(() => new InMemoryDb.Grains.Persistence.GroupCommitOptions { MaxWrites = 0 }.Validated());
        Assert.Throws<InvalidOperationException>(() => new InMemoryDb.Grains.Persistence.GroupCommitOptions { MaxBytes = -1 }.Validated());
    }
}
