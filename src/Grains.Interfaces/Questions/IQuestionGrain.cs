namespace InMemoryDb.Questions;

/// <summary>
/// One question, keyed <c>questions/{question_id}</c> (<see cref="QuestionKeys.Question"/>). Creation is decided here,
/// one request at a time, so two concurrent creates of one id have exactly one winner and one event.
/// </summary>
public interface IQuestionGrain : IGrainWithStringKey
{
    /// <summary>Creates the question; <see cref="OutcomeKind.Conflict"/> when it exists, <see cref="OutcomeKind.Invalid"/> when a field breaks a rule.</summary>
    Task<Outcome<QuestionSnapshot>> CreateAsync(QuestionInput input);

    /// <summary>The question, or null when it does not exist.</summary>
    [AlwaysInterleave]
    Task<QuestionSnapshot?> GetAsync();

    /// <summary>Deletes the question (its answers stay); <see cref="OutcomeKind.NotFound"/> when it does not exist.</summary>
    Task<Outcome<QuestionSnapshot>> DeleteAsync();

    /// <summary>
    /// Whether <paramref name="alternativaEscolhida"/> is the right alternative, or null when the question does not exist.
    /// Reads the last acknowledged state (interleaves with writes in progress).
    /// </summary>
    [AlwaysInterleave]
    Task<bool?> JudgeAsync(string alternativaEscolhida);
}
