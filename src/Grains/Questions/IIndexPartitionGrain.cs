namespace InMemoryDb.Grains.Questions;

/// <summary>
/// One of the <see cref="Partitioning.Count"/> in-memory index partitions of a collection of entity grains, keyed
/// <c>{scope}/{partition}</c>: holds the current snapshot of each of its entities, rebuilt from grain storage on
/// activation, and drives bulk deletes of its entities. Reads and applies interleave (they never await).
/// </summary>
public interface IIndexPartitionGrain<T> : IGrainWithStringKey
    where T : class
{
    /// <summary>Records a change of entity <paramref name="key"/> (null: deleted); older versions are ignored.</summary>
    [AlwaysInterleave]
    Task ApplyAsync(string key, long version, T? item);

    /// <summary>The number of entities.</summary>
    [AlwaysInterleave]
    Task<int> CountAsync();

    /// <summary>
    /// Deletes up to <paramref name="max"/> more of the entities this partition held when <paramref name="operation"/>
    /// first reached it, and returns every entity the operation deleted here from position <paramref name="reported"/>
    /// on (so a coordinator that restarts the operation from 0 hears about all of them again).
    /// </summary>
    Task<BulkDeleteBatch<T>> DeleteBatchAsync(Guid operation, int max, int reported);

    /// <summary>The operation is logged: forget what it deleted.</summary>
    [AlwaysInterleave]
    Task ForgetAsync(Guid operation);

    /// <summary>
    /// After silo <paramref name="deadSilo"/> died (once per dead silo): applies every stored change the partition
    /// has not seen (an entity grain on the dead silo may have written its state and died before telling the
    /// partition). Its events need nothing: they were logged with the state.
    /// </summary>
    Task ReconcileAsync(string deadSilo);
}
