using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>The entry point for questions: routes creates, answers listings and counts from the index partitions.</summary>
[StatelessWorker, Reentrant]
public sealed class QuestionsGrain : Grain, IQuestionsGrain
{
    /// <inheritdoc />
    public Task<Outcome<QuestionSnapshot>> CreateAsync(QuestionInput input)
    {
        var (errors, _) = QuestionRules.Check(input);
        return errors.Count > 0
            ? Task.FromResult(Outcome<QuestionSnapshot>.Invalid(errors))
            : GrainFactory.GetGrain<IQuestionGrain>(QuestionKeys.Question(input.QuestionId)).CreateAsync(input);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QuestionSnapshot>> ListAsync()
    {
        var lists = await Task.WhenAll(Partitions().Select(p => p.ListAsync()));
        var all = new List<QuestionSnapshot>(lists.Sum(l => l.Count));
        foreach (var list in lists) all.AddRange(list);
        all.Sort(static (a, b) => a.QuestionId.CompareTo(b.QuestionId));
        return all;
    }

    /// <inheritdoc />
    public async Task<long> CountAsync()
    {
        var counts = await Task.WhenAll(Partitions().Select(p => p.CountAsync()));
        return counts.Sum(c => (long)c);
    }

    /// <inheritdoc />
    public Task<int> DeleteAllAsync() => GrainFactory.GetGrain<IBulkDeleteGrain>(QuestionKeys.Questions).DeleteAllAsync();

    private IEnumerable<IQuestionPartitionGrain> Partitions()
        => IndexPartitions.All(QuestionKeys.Questions).Select(k => GrainFactory.GetGrain<IQuestionPartitionGrain>(k));
}
