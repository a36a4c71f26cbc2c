namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// The persisted state of a <see cref="KeyValueGrain"/>: the winning operation so far (a value, or a tombstone
/// when <see cref="Exists"/> is false), its timestamp.
/// </summary>
public sealed class KeyValueState : Persistence.EntityState
{
    /// <summary>The key as the client wrote it.</summary>
    public string Key { get; set; } = "";

    /// <summary>False before the first put and after a delete (a tombstone).</summary>
    public bool Exists { get; set; }

    /// <summary>The value, when <see cref="Exists"/>.</summary>
    public string? Value { get; set; }

    /// <summary>The timestamp of the winning operation (put or delete).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>How many operations were applied; grows by one with each, so index partitions can drop stale updates.</summary>
    public long Version { get; set; }
}
