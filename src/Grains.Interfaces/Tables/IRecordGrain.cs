namespace InMemoryDb.Tables;

/// <summary>
/// One record of one table, keyed <c>{table}/{id}</c> (see <see cref="TableNames.RecordKey"/>).
/// Enforces the table's schema and unique fields, keeps the version, and emits one event per change.
/// </summary>
public interface IRecordGrain : IUniqueValueHolder
{
    /// <summary>Creates the record from a JSON object; <see cref="OutcomeKind.Conflict"/> when it exists.</summary>
    Task<Outcome<RecordSnapshot>> CreateAsync(string dataJson);

    /// <summary>The record, or null when it does not exist.</summary>
    [ReadOnly]
    Task<RecordSnapshot?> GetAsync();

    /// <summary>Merges the given top-level fields into the record (a null value removes the field).</summary>
    /// <param name="patchJson">A JSON object of the fields to change.</param>
    /// <param name="expectedVersion">When set, the update applies only if the record has this version.</param>
    Task<Outcome<RecordSnapshot>> UpdateAsync(string patchJson, long? expectedVersion);

    /// <summary>Deletes the record; the value is the deleted record.</summary>
    Task<Outcome<RecordSnapshot>> DeleteAsync(long? expectedVersion);

    /// <summary>True when the record exists. Interleaves, so other grains may ask while it is busy.</summary>
    [AlwaysInterleave]
    Task<bool> ExistsAsync();
}
