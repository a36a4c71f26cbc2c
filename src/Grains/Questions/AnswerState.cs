namespace InMemoryDb.Grains.Questions;

/// <summary>
/// The persisted state of an <see cref="AnswerAttemptGrain"/>. A deleted attempt keeps a tombstone (version, content,
/// and the bulk delete that removed it).
/// </summary>
public sealed class AnswerState : Persistence.EntityState
{
    /// <summary>False before creation and after deletion.</summary>
    public bool Exists { get; set; }

    /// <summary>The attempt's fields (also kept in the tombstone).</summary>
    public StoredAnswer? Answer { get; set; }

    /// <summary>Grows with every change, across delete and re-create.</summary>
    public long Version { get; set; }

    /// <summary>The bulk delete (<see cref="BulkDeleteGrain"/> operation id) that deleted the attempt.</summary>
    public Guid? DeletedBy { get; set; }
}
