namespace InMemoryDb.Grains.Tables;

/// <summary>
/// Owns one value of one unique field, keyed <c>{table}/{field}/{normalized value}</c>: at most one record holds it.
/// </summary>
public interface IUniqueValueGrain : IGrainWithStringKey
{
    /// <summary>Reserves the value for record <paramref name="ownerId"/>; false when another record holds it.</summary>
    Task<bool> ReserveAsync(string ownerId);

    /// <summary>Frees the value if <paramref name="ownerId"/> holds it.</summary>
    Task ReleaseAsync(string ownerId);
}
