using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>A question grain as a bulk delete sees it.</summary>
public interface IQuestionBulkDeleteGrain : IGrainWithStringKey
{
    /// <summary>
    /// Deletes the question as part of <paramref name="operation"/> (no event of its own: the operation logs one);
    /// returns it if this operation deleted it (now or before), otherwise null.
    /// </summary>
    Task<QuestionSnapshot?> DeleteInBulkAsync(Guid operation);
}
