namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One of the key-value store's <see cref="Partitioning.Count"/> in-memory index partitions (key: the partition
/// number): the current value of every live key of the partition, in memory, for reads and listings. Key grains apply
/// each change here before they answer; on activation the partition reloads itself from grain storage.
/// </summary>
public interface IKeyValueIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Records the state of <paramref name="key"/> after its operation number <paramref name="version"/> (a null value: deleted); older versions are ignored.</summary>
    Task ApplyAsync(string key, long version, KeyValueChange? change);

    /// <summary>The state held of <paramref name="key"/> for its writer (<see cref="KeyValueSlots.StateOf"/>); null: read it from storage.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<KeyValueHeldState?> GetStateAsync(string key);

    /// <summary>What the partition knows of <paramref name="key"/>: its value, that it does not exist, or (while loading) nothing yet.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<KeyValueLookup> GetAsync(string key);

    /// <summary>True once the partition has loaded every stored key (activates it, starting the load).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<bool> IsLoadedAsync();

    /// <summary>
    /// Live keys greater than <paramref name="after"/> in ordinal order, at most <paramref name="limit"/>, and no more once
    /// they pass <paramref name="maxBytes"/> (the entry that passes it is included, so the caller sees the overflow).
    /// </summary>
    [ReadOnly]
    Task<KeyValueIndexPage> PageAsync(string? after, int? limit, long maxBytes);

    /// <summary>The number of live keys.</summary>
    [ReadOnly]
    Task<int> CountAsync();

    /// <summary>
    /// After silo <paramref name="deadSilo"/> died (once per dead silo): reconciles the partition with grain storage,
    /// applying every stored change it has not seen (a grain on the dead silo may have written its state and died
    /// before telling the partition). Its events need nothing: they were logged with the state.
    /// </summary>
    Task ReconcileAsync(string deadSilo);
}
