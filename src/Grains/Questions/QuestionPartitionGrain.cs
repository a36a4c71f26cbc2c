using InMemoryDb.Grains.Persistence;
using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>An in-memory index partition of questions (see <see cref="IndexPartitionGrain{TState, T}"/>).</summary>
[KeepAlive]
public sealed class QuestionPartitionGrain(IGrainStateScanner scanner, ILogger<QuestionPartitionGrain> logger)
    : IndexPartitionGrain<QuestionState, QuestionSnapshot>(scanner, logger), IQuestionPartitionGrain
{
    private QuestionSnapshot[]? _sorted;

    /// <inheritdoc />
    protected override string StateName => QuestionGrain.StateName;

    /// <inheritdoc />
    public Task<IReadOnlyList<QuestionSnapshot>> ListAsync()
        => Task.FromResult<IReadOnlyList<QuestionSnapshot>>(_sorted ??= Items.Values.OrderBy(q => q.QuestionId).ToArray());

    /// <inheritdoc />
    protected override StoredEntity<QuestionSnapshot> Read(string key, QuestionState state)
        => new(key, state.Version, state.Exists, state.Question?.ToSnapshot(state.Version), state.DeletedBy);

    /// <inheritdoc />
    protected override Task<QuestionSnapshot?> DeleteEntityAsync(string key, Guid operation)
        => GrainFactory.GetGrain<IQuestionBulkDeleteGrain>(key).DeleteInBulkAsync(operation);

    /// <inheritdoc />
    protected override void OnAdded(string key, QuestionSnapshot item) => _sorted = null;

    /// <inheritdoc />
    protected override void OnRemoved(string key, QuestionSnapshot item) => _sorted = null;
}
