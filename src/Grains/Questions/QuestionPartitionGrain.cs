using System.Runtime.CompilerServices;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>An in-memory index partition of questions (see <see cref="IndexPartitionGrain{T}"/>).</summary>
[KeepAlive]
public sealed class QuestionPartitionGrain(IGrainStateScanner scanner, ILogger<QuestionPartitionGrain> logger)
    : IndexPartitionGrain<QuestionSnapshot>(logger), IQuestionPartitionGrain
{
    private QuestionSnapshot[]? _sorted;

    /// <inheritdoc />
    protected override string Scope => QuestionKeys.Questions;

    /// <inheritdoc />
    public Task<IReadOnlyList<QuestionSnapshot>> ListAsync()
        => Task.FromResult<IReadOnlyList<QuestionSnapshot>>(_sorted ??= Items.Values.OrderBy(q => q.QuestionId).ToArray());

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StoredEntity<QuestionSnapshot>> LoadAsync(int partition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (key, state) in scanner.ScanAsync<QuestionState>(QuestionGrain.StateName, Scope, partition, cancellationToken))
        {
            yield return new StoredEntity<QuestionSnapshot>(key, state.Version, state.Exists, state.Question?.ToSnapshot(state.Version), state.DeletedBy);
        }
    }

    /// <inheritdoc />
    protected override Task<QuestionSnapshot?> DeleteEntityAsync(string key, Guid operation)
        => GrainFactory.GetGrain<IQuestionBulkDeleteGrain>(key).DeleteInBulkAsync(operation);

    /// <inheritdoc />
    protected override void OnAdded(string key, QuestionSnapshot item) => _sorted = null;

    /// <inheritdoc />
    protected override void OnRemoved(string key, QuestionSnapshot item) => _sorted = null;
}
