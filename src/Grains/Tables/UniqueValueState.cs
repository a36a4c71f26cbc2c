namespace InMemoryDb.Grains.Tables;

/// <summary>The persisted state of a <see cref="UniqueValueGrain"/>.</summary>
public sealed class UniqueValueState : Persistence.EntityState
{
    /// <summary>The id of the record holding the value, or null when free.</summary>
    public string? Owner { get; set; }

    /// <summary>When the owner reserved it.</summary>
    public DateTimeOffset ReservedAt { get; set; }
}
