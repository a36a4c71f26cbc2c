using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>The entry point for questions: routes creates, answers listings and counts from the index partitions.</summary>
[StatelessWorker, Reentrant]
public sealed class QuestionsGrain(ResponseLimits limits) : Grain, IQuestionsGrain
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 100_000;
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
    public async Task<Outcome<QuestionPage>> ListAsync(long? after, int? limit)
    {
        if (limit is < 1 or > MaxPageSize) return Outcome<QuestionPage>.BadRequest($"limit must be between 1 and {MaxPageSize}.");
        var all = await ListAsync();
        var start = after is { } last ? Listing.FirstAfter(all, q => q.QuestionId.CompareTo(last)) : 0;
        var page = Listing.Page(all, start, limit, Size, limits, "questions");
        if (!page.Succeeded) return page.As<QuestionPage>();
        var (items, more) = page.Value;
        return Outcome<QuestionPage>.Ok(new QuestionPage(items, more && items.Length > 0 ? items[^1].QuestionId : null));
    }

    /// <summary>The JSON size of a question as the API writes it.</summary>
    public static long Size(QuestionSnapshot q)
        => ResponseLimits.Of(q.QuestionText) + ResponseLimits.Of(q.AlternativaA) + ResponseLimits.Of(q.AlternativaB) + ResponseLimits.Of(q.AlternativaC)
           + ResponseLimits.Of(q.AlternativaD) + ResponseLimits.Of(q.AlternativaCorreta) + ResponseLimits.Of(q.Dificuldade) + ResponseLimits.Of(q.Assunto) + 200;

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
