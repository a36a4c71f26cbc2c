namespace InMemoryDb.Grains;

/// <summary>Where this silo's grain state lives, for grains that report it (e.g. where a read was served from).</summary>
/// <param name="Name"><c>postgres</c> or <c>memory</c>.</param>
/// <param name="IsDurable">True when state survives the process (PostgreSQL).</param>
public sealed record StorageInfo(string Name, bool IsDurable)
{
    /// <summary>PostgreSQL through ADO.NET grain storage.</summary>
    public static StorageInfo Postgres { get; } = new("postgres", true);

    /// <summary>This process's memory (the embedded default).</summary>
    public static StorageInfo Memory { get; } = new("memory", false);
}
