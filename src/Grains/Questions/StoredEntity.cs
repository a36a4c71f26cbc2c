namespace InMemoryDb.Grains.Questions;

/// <summary>An entity's state as an index partition reads it from grain storage.</summary>
/// <param name="Key">The entity grain's key.</param>
/// <param name="Version">The entity's version.</param>
/// <param name="Exists">False for a tombstone.</param>
/// <param name="Content">The entity's content (a tombstone keeps it).</param>
/// <param name="DeletedBy">The bulk delete that deleted it, if one did.</param>
public sealed record StoredEntity<T>(string Key, long Version, bool Exists, T? Content, Guid? DeletedBy)
    where T : class;
