namespace InMemoryDb.Grains.Tables;

/// <summary>
/// Owns one value of one unique field, keyed <c>{table}/{field}/{normalized value}</c>: at most one record holds it
/// (<c>{StreamingKeys.UniqueScope}/{field}/{value}</c>: at most one platform user).
/// </summary>
public interface IUniqueValueGrain : IGrainWithStringKey
{
    /// <summary>Reserves the value for <paramref name="ownerId"/>; <see cref="Reservation.Taken"/> when another owner holds it.</summary>
    Task<Reservation> ReserveAsync(string ownerId);

    /// <summary>Frees the value if <paramref name="ownerId"/> holds it.</summary>
    Task ReleaseAsync(string ownerId);
}

/// <summary>What a reservation did.</summary>
public enum Reservation
{
    /// <summary>Another owner holds the value: nothing changed.</summary>
    Taken,

    /// <summary>The value is now reserved for the owner (a durable write).</summary>
    Reserved,

    /// <summary>The owner held it already: nothing changed (a failed create must not release it).</summary>
    AlreadyHeld,
}
