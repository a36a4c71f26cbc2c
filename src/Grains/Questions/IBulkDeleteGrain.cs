namespace InMemoryDb.Grains.Questions;

/// <summary>
/// Runs the bulk deletes of one collection (key: its scope, <c>questions</c> or <c>answers</c>), one at a time,
/// and logs one event per bulk delete. The operation is recorded before it starts, so a crash in the middle is
/// finished (and logged) at the next start-up or the next bulk delete.
/// </summary>
public interface IBulkDeleteGrain : IGrainWithStringKey
{
    /// <summary>Deletes every entity of the collection that exists when it starts; returns how many it deleted.</summary>
    [ResponseTimeout("00:10:00")]
    Task<int> DeleteAllAsync();

    /// <summary>Finishes a bulk delete interrupted by a crash, if there is one.</summary>
    [ResponseTimeout("00:10:00")]
    Task ResumeAsync();

    /// <summary>The operation in progress or interrupted, if any.</summary>
    [AlwaysInterleave]
    Task<Guid?> PendingAsync();
}
