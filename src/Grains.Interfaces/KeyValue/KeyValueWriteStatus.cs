namespace InMemoryDb.KeyValue;

/// <summary>What a put or delete did.</summary>
[GenerateSerializer, Alias("inmemorydb.kv-write-status")]
public enum KeyValueWriteStatus
{
    /// <summary>The value is stored (durably, with its event).</summary>
    Stored = 0,
    /// <summary>The key is deleted (a durable tombstone, with its event).</summary>
    Deleted = 1,
    /// <summary>The key already holds a newer operation: nothing changed.</summary>
    Ignored = 2,
}
