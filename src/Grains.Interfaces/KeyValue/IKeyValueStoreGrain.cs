namespace InMemoryDb.KeyValue;

/// <summary>
/// Whole-store questions about the key-value store, answered from its in-memory index partitions (never by
/// activating one grain per key). A stateless worker: use key 0; every silo runs its own copies.
/// </summary>
public interface IKeyValueStoreGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The live keys greater than <paramref name="after"/> (ordinal order) with their values, at most
    /// <paramref name="limit"/> (1–<see cref="KeyValueKeys.MaxPageSize"/>; every key when null).
    /// </summary>
    Task<Outcome<KeyValuePage>> ListAsync(string? after, int? limit);

    /// <summary>The exact number of live keys.</summary>
    Task<long> CountAsync();

    /// <summary>
    /// True once every index partition has loaded its keys from storage (after a start); until then single-key reads
    /// are served, listings and counts are refused with <see cref="IndexRebuildingException"/>. Activates the partitions.
    /// </summary>
    Task<bool> IsLoadedAsync();
}
