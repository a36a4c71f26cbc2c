using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>An index partition of answer attempts, keyed <c>answers/{partition}</c>, indexed by user and by question.</summary>
public interface IAnswerPartitionGrain : IIndexPartitionGrain<AnswerSnapshot>
{
    /// <summary>The partition's attempts, optionally only those of one user and/or one question (unordered).</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<AnswerSnapshot>> ListAsync(string? usuario, long? questionId);

    /// <summary>This partition's share of the score of <paramref name="usuario"/>.</summary>
    [AlwaysInterleave]
    Task<PartialScore> ScoreAsync(string usuario);
}
