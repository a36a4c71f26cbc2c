using InMemoryDb.Silo.Hosting;
using InMemoryDb.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>An in-process test cluster (one silo) with the service's grains and in-memory storage.</summary>
public class ClusterFixture : IAsyncLifetime
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
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddInMemoryDbGrains(configuration);
            ConfigureSilo(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Changes the silo's services after the service's own (a test double for a provider).</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }
}

/// <summary>A <see cref="ClusterFixture"/> whose grain storage fails on demand (<see cref="FaultyGrainStorage"/>).</summary>
public sealed class FaultyStorageClusterFixture : ClusterFixture
{
    /// <summary>The silo's grain storage.</summary>
    public FaultyGrainStorage Storage
        => (FaultyGrainStorage)Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo) => FaultyGrainStorage.Decorate(silo.Services);
}

/// <summary>The collection sharing <see cref="FaultyStorageClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class FaultyStorageCollection : ICollectionFixture<FaultyStorageClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "faulty storage";
}

/// <summary>The collection sharing <see cref="ClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
