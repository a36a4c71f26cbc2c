namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>
/// Tests that run the cluster as separate processes (silos, APIs, Redis, the sample client). They run one at a time,
/// after the parallel tests, so their timing measurements (fail-over within 15 s) are not skewed by other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "processes";
}
