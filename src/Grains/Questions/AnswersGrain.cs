using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>The entry point for answer attempts: routes creates, answers listings, counts and scores from the index partitions.</summary>
[StatelessWorker, Reentrant]
public sealed class AnswersGrain(ResponseLimits limits) : Grain, IAnswersGrain
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 100_000;
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
    public async Task<Outcome<AnswerPage>> ListAsync(string? usuario, long? questionId, string? after, int? limit)
    {
        if (limit is < 1 or > MaxPageSize) return Outcome<AnswerPage>.BadRequest($"limit must be between 1 and {MaxPageSize}.");
        AnswerSnapshot? cursor = null;
        if (after is not null)
        {
            var parts = after.Split('/');
            if (parts.Length != 3 || !long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var cursorQuestion)
                || !long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var cursorAttempt))
            {
                return Outcome<AnswerPage>.BadRequest("after must be the cursor a previous page named: {usuario}/{question_id}/{nro_tentativa}.");
            }
            cursor = new AnswerSnapshot(cursorQuestion, "", "", parts[0], cursorAttempt, false, default, 0);
        }
        var all = await ListAsync(usuario, questionId);
        var start = cursor is null ? 0 : Listing.FirstAfter(all, a => AnswerOrder.Instance.Compare(a, cursor));
        var page = Listing.Page(all, start, limit, Size, limits, "answers");
        if (!page.Succeeded) return page.As<AnswerPage>();
        var (items, more) = page.Value;
        return Outcome<AnswerPage>.Ok(new AnswerPage(items, more && items.Length > 0 ? Cursor(items[^1]) : null));
    }

    /// <summary>The JSON size of an attempt as the API writes it.</summary>
    public static long Size(AnswerSnapshot a)
        => ResponseLimits.Of(a.AlternativaEscolhida) + ResponseLimits.Of(a.Datahora) + ResponseLimits.Of(a.Usuario) + 150;

    private static string Cursor(AnswerSnapshot a)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{a.Usuario}/{a.QuestionId}/{a.NroTentativa}");

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
