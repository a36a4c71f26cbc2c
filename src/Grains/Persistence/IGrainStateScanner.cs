namespace InMemoryDb.Grains.Persistence;

/// <summary>A grain state read directly from storage, with the grain's key.</summary>
public sealed record ScannedState<T>(string Key, T State);

/// <summary>
/// Reads persisted grain states in bulk, so an index partition can rebuild itself from what is stored
/// (the source of truth) without activating one grain per entity. Keys are <c>{scope}/{id}</c>; a scan
/// returns the states of one scope (e.g. a table) whose id falls in one <see cref="Partitioning"/> partition.
/// </summary>
public interface IGrainStateScanner
{
    /// <summary>Every stored state named <paramref name="stateName"/> in <paramref name="scope"/> and <paramref name="partition"/>.</summary>
    IAsyncEnumerable<ScannedState<T>> ScanAsync<T>(string stateName, string scope, int partition, CancellationToken cancellationToken = default);
}
