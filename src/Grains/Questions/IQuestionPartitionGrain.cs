using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>An index partition of questions, keyed <c>questions/{partition}</c>.</summary>
public interface IQuestionPartitionGrain : IIndexPartitionGrain<QuestionSnapshot>
{
    /// <summary>The partition's questions, ordered by id.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<QuestionSnapshot>> ListAsync();
}
