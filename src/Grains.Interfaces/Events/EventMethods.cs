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

    /// <summary>A question was created (seed 000); content is the question.</summary>
    public const string CreateQuestion = "create_question";

    /// <summary>A question was deleted; content is the question as it was.</summary>
    public const string DeleteQuestion = "delete_question";

    /// <summary>Every question was deleted at once; content is <c>{"count": n, "questions": [...]}</c>.</summary>
    public const string DeleteQuestions = "delete_questions";

    /// <summary>An answer attempt was recorded; content is the attempt with its <c>is_correct</c>.</summary>
    public const string CreateAnswer = "create_answer";

    /// <summary>Every answer attempt was deleted at once; content is <c>{"count": n, "answers": [...]}</c>.</summary>
    public const string DeleteAnswers = "delete_answers";
    /// <summary>A key of the key-value store was set; content is <c>{"key", "value", "timestamp"}</c>.</summary>
    public const string PutKey = "put_key";

    /// <summary>A key of the key-value store was deleted; content is <c>{"key", "timestamp"}</c>.</summary>
    public const string DeleteKey = "delete_key";
}
