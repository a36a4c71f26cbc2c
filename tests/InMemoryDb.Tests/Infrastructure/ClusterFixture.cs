using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>An in-process test cluster (one silo) with the service's grains and in-memory storage.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The cluster's client.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>A service of the (single) silo.</summary>
    public T SiloService<T>() where T : notnull
        => (T)Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetService(typeof(T))!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["InMemoryDb:Passwords:Iterations"] = "1000" })
            .Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddInMemoryDbGrains(configuration));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The collection sharing <see cref="ClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
