namespace InMemoryDb.Questions;

/// <summary>
/// The entry point for answer attempts (a stateless worker, key 0): routes creates to attempt grains and answers
/// listings, filters, counts and scores from the in-memory index partitions.
/// </summary>
public interface IAnswersGrain : IGrainWithIntegerKey
{
    /// <summary>Records an attempt (see <see cref="IAnswerAttemptGrain.CreateAsync"/>).</summary>
    Task<Outcome<AnswerSnapshot>> CreateAsync(AnswerInput input);

    /// <summary>The attempts, optionally only those of one user and/or one question, ordered by usuario, question id and attempt number.</summary>
    Task<IReadOnlyList<AnswerSnapshot>> ListAsync(string? usuario, long? questionId);

    /// <summary>
    /// The attempts of <see cref="ListAsync(string, long?)"/> after the cursor <paramref name="after"/>
    /// (<see cref="AnswerPage.NextAfter"/>), at most <paramref name="limit"/> (all when null);
    /// <see cref="OutcomeKind.BadRequest"/> when they would pass the response limit.
    /// </summary>
    Task<Outcome<AnswerPage>> ListAsync(string? usuario, long? questionId, string? after, int? limit);

    /// <summary>The exact number of attempts.</summary>
    Task<long> CountAsync();

    /// <summary>The score of <paramref name="usuario"/>, exact over every recorded attempt.</summary>
    Task<UserScore> ScoreAsync(string usuario);

    /// <summary>Deletes every attempt and logs one <c>delete_answers</c> event listing them; returns how many it deleted.</summary>
    [ResponseTimeout("00:10:00")]
    Task<int> DeleteAllAsync();
}
