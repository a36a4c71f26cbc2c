namespace InMemoryDb.Grains.Questions;

/// <summary>
/// The persisted state of a <see cref="QuestionGrain"/>. A deleted question keeps a tombstone: its version, its
/// content, and the bulk delete that removed it (if any), so a resumed bulk delete can still report it.
/// </summary>
public sealed class QuestionState : Persistence.EntityState
{
    /// <summary>False before creation and after deletion.</summary>
    public bool Exists { get; set; }

    /// <summary>The question's fields (also kept in the tombstone).</summary>
    public StoredQuestion? Question { get; set; }

    /// <summary>Grows with every change, across delete and re-create.</summary>
    public long Version { get; set; }

    /// <summary>The bulk delete (<see cref="BulkDeleteGrain"/> operation id) that deleted the question, if one did.</summary>
    public Guid? DeletedBy { get; set; }
}
