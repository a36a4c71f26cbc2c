namespace InMemoryDb;

/// <summary>Tells whether the silo's storage answers (a stateless worker).</summary>
public interface IStorageHealthGrain : IGrainWithIntegerKey
{
    /// <summary>Null when storage answers, otherwise what went wrong.</summary>
    Task<string?> CheckAsync();

    /// <summary>Where the cluster keeps grain state: <c>postgres</c> or <c>memory</c>.</summary>
    Task<string> StorageAsync();
}
