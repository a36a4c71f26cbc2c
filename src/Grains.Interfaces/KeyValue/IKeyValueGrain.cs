namespace InMemoryDb.KeyValue;

/// <summary>
/// One key of the key-value store, keyed <see cref="KeyValueKeys.GrainKey"/>(key). Last-writer-wins by operation
/// timestamp: a write older than the key's current operation is ignored, and a delete leaves a tombstone so an
/// older write arriving late cannot bring the key back. Every applied write is durable and has its event in the
/// event log (<see cref="Events.EventMethods.PutKey"/>, <see cref="Events.EventMethods.DeleteKey"/>) before it is answered.
/// </summary>
public interface IKeyValueGrain : IGrainWithStringKey
{
    /// <summary>The key's value, or null when it does not exist (never written, or deleted).</summary>
    [ReadOnly]
    Task<KeyValueRead?> GetAsync();

    /// <summary>
    /// Sets the value of <paramref name="key"/> (which must be this grain's key) as of <paramref name="timestamp"/>;
    /// when null, the grain assigns one later than any operation it has applied (so the write wins).
    /// </summary>
    /// <returns><see cref="OutcomeKind.Ok"/> (stored), <see cref="OutcomeKind.Ignored"/> (older than the current state),
    /// or <see cref="OutcomeKind.Invalid"/>/<see cref="OutcomeKind.BadRequest"/>.</returns>
    Task<Outcome<KeyValueWriteResult>> PutAsync(string key, string value, DateTimeOffset? timestamp);

    /// <summary>Deletes <paramref name="key"/> as of <paramref name="timestamp"/> (assigned when null), leaving a tombstone.</summary>
    /// <returns><see cref="OutcomeKind.Ok"/> (deleted) or <see cref="OutcomeKind.Ignored"/> (older than the current state).</returns>
    Task<Outcome<KeyValueWriteResult>> DeleteAsync(string key, DateTimeOffset? timestamp);
}
