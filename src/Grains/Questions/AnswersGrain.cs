using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>The entry point for answer attempts: routes creates, answers listings, counts and scores from the index partitions.</summary>
[StatelessWorker, Reentrant]
public sealed class AnswersGrain : Grain, IAnswersGrain
{
    /// <inheritdoc />
    public Task<Outcome<AnswerSnapshot>> CreateAsync(AnswerInput input)
    {
        var errors = QuestionRules.Check(input);
        return errors.Count > 0
            ? Task.FromResult(Outcome<AnswerSnapshot>.Invalid(errors))
            : GrainFactory.GetGrain<IAnswerAttemptGrain>(QuestionKeys.Answer(input.Usuario, input.QuestionId, input.NroTentativa)).CreateAsync(input);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AnswerSnapshot>> ListAsync(string? usuario, long? questionId)
    {
        var lists = await Task.WhenAll(Partitions().Select(p => p.ListAsync(usuario, questionId)));
        var all = new List<AnswerSnapshot>(lists.Sum(l => l.Count));
        foreach (var list in lists) all.AddRange(list);
        all.Sort(AnswerOrder.Instance);
        return all;
    }

    /// <inheritdoc />
    public async Task<long> CountAsync()
    {
        var counts = await Task.WhenAll(Partitions().Select(p => p.CountAsync()));
        return counts.Sum(c => (long)c);
    }

    /// <inheritdoc />
    public async Task<UserScore> ScoreAsync(string usuario)
    {
        var shares = await Task.WhenAll(Partitions().Select(p => p.ScoreAsync(usuario)));
        var questions = new HashSet<long>();
        foreach (var share in shares) questions.UnionWith(share.CorrectQuestionIds);
        return new UserScore(usuario, shares.Sum(s => s.Attempts), shares.Sum(s => s.Correct), questions.Count);
    }

    /// <inheritdoc />
    public Task<int> DeleteAllAsync() => GrainFactory.GetGrain<IBulkDeleteGrain>(QuestionKeys.Answers).DeleteAllAsync();

    private IEnumerable<IAnswerPartitionGrain> Partitions()
        => IndexPartitions.All(QuestionKeys.Answers).Select(k => GrainFactory.GetGrain<IAnswerPartitionGrain>(k));
}
