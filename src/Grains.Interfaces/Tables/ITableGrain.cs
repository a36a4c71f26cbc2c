namespace InMemoryDb.Tables;

/// <summary>
/// The entry point for one table, keyed by table name: creates records (choosing their id) and answers
/// whole-table questions (dump, count, join) from the table's in-memory partitions, never by activating
/// record grains. A stateless worker: every silo runs its own copies.
/// </summary>
public interface ITableGrain : IGrainWithStringKey
{
    /// <summary>Creates a record; its id is <c>data.id</c> when that is a string, otherwise a new UUID.</summary>
    Task<Outcome<RecordSnapshot>> CreateAsync(string dataJson);

    /// <summary>The records with an id greater than <paramref name="after"/> in id order, at most <paramref name="limit"/> (all when null).</summary>
    Task<Outcome<RecordPage>> DumpAsync(string? after, int? limit);

    /// <summary>The exact number of records.</summary>
    Task<long> CountAsync();

    /// <summary>
    /// Inner equi-join of this table (left) with <paramref name="rightTable"/> on <paramref name="key"/>:
    /// pairs where <c>left[key] == right[key]</c>; a left record without <paramref name="key"/> uses its id.
    /// </summary>
    Task<Outcome<IReadOnlyList<JoinPair>>> JoinAsync(string rightTable, string key);
}
