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
}
