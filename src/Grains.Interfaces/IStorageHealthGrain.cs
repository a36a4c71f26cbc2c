namespace InMemoryDb;

/// <summary>Where a silo stores data, and whether that storage answers.</summary>
/// <param name="Storage"><c>postgres</c> or <c>memory</c>.</param>
/// <param name="Problem">Null when storage answers, otherwise what went wrong.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.storage-health")]
public sealed record StorageHealth(
    [property: Id(0)] string Storage,
    [property: Id(1)] string? Problem);

/// <summary>Tells whether the silo's storage answers (a stateless worker).</summary>
public interface IStorageHealthGrain : IGrainWithIntegerKey
{
    /// <summary>The storage kind and its state, as seen from a silo.</summary>
    Task<StorageHealth> CheckAsync();
}
