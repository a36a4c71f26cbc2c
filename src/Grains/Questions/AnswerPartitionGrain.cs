using InMemoryDb.Grains.Persistence;
using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// An in-memory index partition of answer attempts (see <see cref="IndexPartitionGrain{TState, T}"/>), with secondary indexes
/// by user and by question so filters and scores read only the matching attempts.
/// </summary>
[KeepAlive]
public sealed class AnswerPartitionGrain(IGrainStateScanner scanner, ILogger<AnswerPartitionGrain> logger)
    : IndexPartitionGrain<AnswerState, AnswerSnapshot>(scanner, logger), IAnswerPartitionGrain
{
    private readonly Dictionary<string, Dictionary<string, AnswerSnapshot>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Dictionary<string, AnswerSnapshot>> _byQuestion = [];

    /// <inheritdoc />
    protected override string StateName => AnswerAttemptGrain.StateName;

    /// <inheritdoc />
    public Task<IReadOnlyList<AnswerSnapshot>> ListAsync(string? usuario, long? questionId)
    {
        IEnumerable<AnswerSnapshot> matches;
        if (usuario is not null)
        {
            matches = _byUser.TryGetValue(usuario, out var ofUser) ? ofUser.Values : [];
            if (questionId is { } id) matches = matches.Where(a => a.QuestionId == id);
        }
        else if (questionId is { } id)
        {
            matches = _byQuestion.TryGetValue(id, out var ofQuestion) ? ofQuestion.Values : [];
        }
        else
        {
            matches = Items.Values;
        }
        return Task.FromResult<IReadOnlyList<AnswerSnapshot>>(matches.ToArray());
    }

    /// <inheritdoc />
    public Task<PartialScore> ScoreAsync(string usuario)
    {
        if (!_byUser.TryGetValue(usuario, out var ofUser)) return Task.FromResult(new PartialScore(0, 0, []));
        long correct = 0;
        var questions = new HashSet<long>();
        foreach (var answer in ofUser.Values)
        {
            if (!answer.IsCorrect) continue;
            correct++;
            questions.Add(answer.QuestionId);
        }
        return Task.FromResult(new PartialScore(ofUser.Count, correct, questions.ToArray()));
    }

    /// <inheritdoc />
    protected override StoredEntity<AnswerSnapshot> Read(string key, AnswerState state)
        => new(key, state.Version, state.Exists, state.Answer?.ToSnapshot(state.Version), state.DeletedBy);

    /// <inheritdoc />
    protected override Task<AnswerSnapshot?> DeleteEntityAsync(string key, Guid operation)
        => GrainFactory.GetGrain<IAnswerBulkDeleteGrain>(key).DeleteInBulkAsync(operation);

    /// <inheritdoc />
    protected override void OnAdded(string key, AnswerSnapshot item)
    {
        Bucket(_byUser, item.Usuario)[key] = item;
        Bucket(_byQuestion, item.QuestionId)[key] = item;
    }

    /// <inheritdoc />
    protected override void OnRemoved(string key, AnswerSnapshot item)
    {
        Remove(_byUser, item.Usuario, key);
        Remove(_byQuestion, item.QuestionId, key);
    }

    private static Dictionary<string, AnswerSnapshot> Bucket<TKey>(Dictionary<TKey, Dictionary<string, AnswerSnapshot>> index, TKey value)
        where TKey : notnull
    {
        if (!index.TryGetValue(value, out var bucket)) index[value] = bucket = new Dictionary<string, AnswerSnapshot>(StringComparer.Ordinal);
        return bucket;
    }

    private static void Remove<TKey>(Dictionary<TKey, Dictionary<string, AnswerSnapshot>> index, TKey value, string key)
        where TKey : notnull
    {
        if (index.TryGetValue(value, out var bucket) && bucket.Remove(key) && bucket.Count == 0) index.Remove(value);
    }
}
