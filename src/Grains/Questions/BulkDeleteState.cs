namespace InMemoryDb.Grains.Questions;

/// <summary>The persisted state of a <see cref="BulkDeleteGrain"/>.</summary>
public sealed class BulkDeleteState : Persistence.EntityState
{
    /// <summary>The bulk delete in progress (or interrupted by a crash), if any.</summary>
    public Guid? Pending { get; set; }

    /// <summary>The correlation id of the request that started <see cref="Pending"/>.</summary>
    public string? PendingCorrelationId { get; set; }
}
