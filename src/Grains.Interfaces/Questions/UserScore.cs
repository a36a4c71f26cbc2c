namespace InMemoryDb.Questions;

/// <summary>A user's score over every recorded attempt (answers of deleted questions included).</summary>
/// <param name="Usuario">The user.</param>
/// <param name="Attempts">Recorded attempts.</param>
/// <param name="CorrectAnswers">Attempts that were correct.</param>
/// <param name="QuestionsAnsweredCorrectly">Distinct questions answered correctly at least once.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.user-score")]
public sealed record UserScore(
    [property: Id(0)] string Usuario,
    [property: Id(1)] long Attempts,
    [property: Id(2)] long CorrectAnswers,
    [property: Id(3)] long QuestionsAnsweredCorrectly)
{
    /// <summary>Correct answers over attempts (0 when there are none).</summary>
    public double Accuracy => Attempts == 0 ? 0 : (double)CorrectAnswers / Attempts;
}
