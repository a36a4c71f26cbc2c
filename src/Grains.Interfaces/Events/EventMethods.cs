namespace InMemoryDb.Events;

/// <summary>The <see cref="EventEnvelope.Method"/> names.</summary>
public static class EventMethods
{
    /// <summary>A record was created; content is the record.</summary>
    public const string CreateRecord = "create_record";

    /// <summary>A record changed; content is the record after the change.</summary>
    public const string UpdateRecord = "update_record";

    /// <summary>A record was deleted; content is the record as it was.</summary>
    public const string DeleteRecord = "delete_record";

    /// <summary>A key of the key-value store was set; content is <c>{"key", "value", "timestamp"}</c>.</summary>
    public const string PutKey = "put_key";

    /// <summary>A key of the key-value store was deleted; content is <c>{"key", "timestamp"}</c>.</summary>
    public const string DeleteKey = "delete_key";
}
