using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>An answer-attempt grain as a bulk delete sees it.</summary>
public interface IAnswerBulkDeleteGrain : IGrainWithStringKey
{
    /// <summary>
    /// Deletes the attempt as part of <paramref name="operation"/> (no event of its own: the operation logs one);
    /// returns it if this operation deleted it (now or before), otherwise null.
    /// </summary>
    Task<AnswerSnapshot?> DeleteInBulkAsync(Guid operation);
}
