namespace InMemoryDb.Grains.Tables;

/// <summary>A page of one partition.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.partition-page")]
public sealed record PartitionPage(
    [property: Id(0)] IReadOnlyList<RecordSnapshot> Records,
    [property: Id(1)] bool HasMore);

/// <summary>A record with its join key in canonical form (type-tagged, so "1" and 1 differ and 1 equals 1.0).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.keyed-record")]
public sealed record KeyedRecord(
    [property: Id(0)] string Key,
    [property: Id(1)] RecordSnapshot Record);

/// <summary>One partition's side of a join.</summary>
/// <param name="Records">The joinable records with their keys, in record id order.</param>
/// <param name="WithField">How many records of the partition have the join field at all.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.join-side")]
public sealed record JoinSide(
    [property: Id(0)] IReadOnlyList<KeyedRecord> Records,
    [property: Id(1)] int WithField);

/// <summary>A partition's answer about one record: found (with its snapshot), absent, or not loaded yet (ask the record's grain).</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.record-lookup")]
public readonly record struct RecordLookup(
    [property: Id(0)] bool Known,
    [property: Id(1)] RecordSnapshot? Record);

/// <summary>
/// One of a table's <see cref="Partitioning.Count"/> in-memory index partitions, keyed <c>{table}/{partition}</c>.
/// Holds the current snapshot of each of its records; rebuilt from grain storage on activation.
/// </summary>
public interface ITablePartitionGrain : IGrainWithStringKey
{
    /// <summary>Records a change of record <paramref name="id"/> (null: deleted); older versions are ignored.</summary>
    Task ApplyAsync(string id, long version, RecordSnapshot? record);

    /// <summary>The number of records.</summary>
    [ReadOnly]
    Task<int> CountAsync();

    /// <summary>Record <paramref name="id"/> as the partition holds it (<see cref="RecordLookup.Known"/> false while it is still loading and has not seen it).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<RecordLookup> GetAsync(string id);

    /// <summary>
    /// Records with an id greater than <paramref name="after"/>, in id order, at most <paramref name="limit"/>, and no more
    /// once they pass <paramref name="maxBytes"/> (the record that passes it is included, so the caller sees the overflow).
    /// </summary>
    [ReadOnly]
    Task<PartitionPage> PageAsync(string? after, int? limit, long maxBytes);

    /// <summary>How many records have an id greater than <paramref name="after"/>, and their JSON size.</summary>
    [ReadOnly]
    Task<ResultSize> SizeAsync(string? after);

    /// <summary>The records keyed by their <paramref name="field"/>; when a record lacks it, by its id if <paramref name="idWhenMissing"/>.</summary>
    [ReadOnly]
    Task<JoinSide> JoinSideAsync(string field, bool idWhenMissing);

    /// <summary>
    /// After silo <paramref name="deadSilo"/> died (once per dead silo): reconciles the partition with grain storage,
    /// applying every stored change it has not seen (a grain on the dead silo may have written its state and died
    /// before telling the partition). Its events need nothing: they were logged with the state.
    /// </summary>
    Task ReconcileAsync(string deadSilo);
}
