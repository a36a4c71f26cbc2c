namespace InMemoryDb.Questions;

/// <summary>
/// One answer attempt, keyed <c>answers/{usuario}/{question_id}/{nro_tentativa}</c> (<see cref="QuestionKeys.Answer"/>).
/// Decides correctness when it is recorded and keeps it, so the attempt stays readable after its question is deleted.
/// </summary>
public interface IAnswerAttemptGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the attempt: <see cref="OutcomeKind.Conflict"/> when it exists, <see cref="OutcomeKind.NotFound"/> when
    /// the question does not, <see cref="OutcomeKind.Invalid"/> when a field breaks a rule.
    /// </summary>
    Task<Outcome<AnswerSnapshot>> CreateAsync(AnswerInput input);

    /// <summary>The attempt, or null when it does not exist.</summary>
    [AlwaysInterleave]
    Task<AnswerSnapshot?> GetAsync();
}
