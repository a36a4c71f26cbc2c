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

    /// <summary>
    /// How many records have an id greater than <paramref name="after"/> and their JSON size;
    /// <see cref="OutcomeKind.BadRequest"/> when that whole answer would pass the response limit.
    /// </summary>
    Task<Outcome<ResultSize>> MeasureDumpAsync(string? after);

    /// <summary>
    /// The records with an id greater than <paramref name="after"/> in id order, at most <paramref name="limit"/> (all when
    /// null); <see cref="OutcomeKind.BadRequest"/> when they would pass the response limit.
    /// </summary>
    Task<Outcome<RecordPage>> DumpAsync(string? after, int? limit);

    /// <summary>The exact number of records.</summary>
    Task<long> CountAsync();

    /// <summary>
    /// How many pairs the join of <see cref="JoinAsync"/> has after the cursor <paramref name="after"/> and their JSON size;
    /// <see cref="OutcomeKind.BadRequest"/> when that whole answer would pass the response limit (or the field name or the
    /// cursor is invalid).
    /// </summary>
    Task<Outcome<ResultSize>> MeasureJoinAsync(string rightTable, string key, string? after);

    /// <summary>
    /// Inner equi-join of this table (left) with <paramref name="rightTable"/> on <paramref name="key"/>: pairs where
    /// <c>left[key] == right[key]</c> (a left record without <paramref name="key"/> uses its id), in (left id, right id)
    /// order, after the cursor <paramref name="after"/> (<see cref="JoinPage.NextAfter"/>), at most <paramref name="limit"/>
    /// (all when null); <see cref="OutcomeKind.BadRequest"/> when they would pass the response limit.
    /// </summary>
    Task<Outcome<JoinPage>> JoinAsync(string rightTable, string key, string? after, int? limit);
}
