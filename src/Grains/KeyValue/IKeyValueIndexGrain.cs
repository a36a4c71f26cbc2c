namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One of the key-value store's <see cref="Partitioning.Count"/> in-memory index partitions (key: the partition
/// number): the current value of every live key of the partition, in memory, for reads and listings, and the writer of
/// those keys; on activation the partition reloads itself from grain storage.
/// </summary>
public interface IKeyValueIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Records the state of <paramref name="key"/> after its operation number <paramref name="version"/> (a null value: deleted); older versions are ignored.</summary>
    Task ApplyAsync(string key, long version, KeyValueChange? change);

    /// <summary>
    /// What the partition knows of <paramref name="key"/> (<see cref="KeyValueSlots.StateOf"/>): its state, or null while
    /// it is still loading and has not seen the key (then ask the key's grain). For reads and for the key's writer.
    /// </summary>
    [ReadOnly, AlwaysInterleave]
    Task<KeyValueHeldState?> GetAsync(string key);

    /// <summary>
    /// Writes <paramref name="key"/> (a value, or null to delete) as of <paramref name="timestamp"/> (assigned when null),
    /// last writer wins (<see cref="KeyValueWrites"/>). Interleaves: writes of other keys run while one waits for storage;
    /// writes of one key run in order.
    /// </summary>
    [AlwaysInterleave]
    Task<Outcome<KeyValueWriteResult>> WriteAsync(string key, string? value, DateTimeOffset? timestamp);

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
