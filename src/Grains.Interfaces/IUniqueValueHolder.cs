namespace InMemoryDb;

/// <summary>An entity holding unique values that a reservation may ask about (a table record, a platform user).</summary>
public interface IUniqueValueHolder : IGrainWithStringKey
{
    /// <summary>True when this entity holds <paramref name="normalizedValue"/> in <paramref name="field"/> (interleaves: a reservation may ask while the holder is busy).</summary>
    [AlwaysInterleave]
    Task<bool> HoldsValueAsync(string field, string normalizedValue);
}
