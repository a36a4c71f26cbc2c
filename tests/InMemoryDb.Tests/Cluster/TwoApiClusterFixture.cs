using InMemoryDb.Tests.Infrastructure.Processes;

namespace InMemoryDb.Tests.Cluster;

/// <summary>The cluster deployment for tests that do not break it: two silos and two APIs (clients) on the test Redis.</summary>
public sealed class TwoApiClusterFixture : IAsyncLifetime
{
    /// <summary>The processes.</summary>
    public ProcessCluster Cluster { get; } = new(TestEnvironment.Redis);

    /// <inheritdoc />
    public Task InitializeAsync() => Cluster.StartAsync(["silo1", "silo2"], ["api1", "api2"]);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
