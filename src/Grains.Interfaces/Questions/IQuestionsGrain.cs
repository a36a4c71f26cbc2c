namespace InMemoryDb.Questions;

/// <summary>
/// The entry point for questions (a stateless worker, key 0): routes creates to question grains and answers
/// whole-collection requests from the in-memory index partitions, never by activating question grains.
/// </summary>
public interface IQuestionsGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a question (see <see cref="IQuestionGrain.CreateAsync"/>).</summary>
    Task<Outcome<QuestionSnapshot>> CreateAsync(QuestionInput input);

    /// <summary>Every question, ordered by id.</summary>
    Task<IReadOnlyList<QuestionSnapshot>> ListAsync();

    /// <summary>
    /// The questions with an id greater than <paramref name="after"/>, ordered by id, at most <paramref name="limit"/> (all
    /// when null); <see cref="OutcomeKind.BadRequest"/> when they would pass the response limit.
    /// </summary>
    Task<Outcome<QuestionPage>> ListAsync(long? after, int? limit);

    /// <summary>The exact number of questions.</summary>
    Task<long> CountAsync();

    /// <summary>
    /// Deletes every question (their answers stay) and logs one <c>delete_questions</c> event listing them; returns how
    /// many it deleted. Bulk deletes run one at a time; questions created while one runs may survive it.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<int> DeleteAllAsync();
}
