using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using InMemoryDb.Questions;
using Orleans.Storage;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// Runs the bulk deletes of one collection, keyed by its scope (<c>questions</c> or <c>answers</c>), one at a time:
/// <list type="number">
/// <item>records the operation id durably (so a crash in the middle is finished later, not forgotten);</item>
/// <item>has every index partition delete, in batches, the entities it held when the operation reached it — each
/// entity grain writes a tombstone naming the operation, and no event of its own;</item>
/// <item>writes one event listing every deleted entity with the state write that closes the operation (entity kernel).</item>
/// </list>
/// An interrupted operation is resumed at start-up (and before the next bulk delete): partitions report again what it
/// had deleted (from memory, or from the tombstones in storage), so its one event lists every entity it deleted.
/// </summary>
public sealed partial class BulkDeleteGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    ILogger<BulkDeleteGrain> logger) : EntityGrain<BulkDeleteState>(storage, StateName, logger), IBulkDeleteGrain
{
    /// <summary>The storage name of bulk-delete states (unique among grain classes).</summary>
    public const string StateName = "bulk-delete";

    /// <summary>How many entities a partition deletes per call (bounded so no call nears the response timeout).</summary>
    public const int BatchSize = 256;

    private string _scope = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _scope = this.GetPrimaryKeyString();
        if (_scope is not (QuestionKeys.Questions or QuestionKeys.Answers)) throw new ArgumentException($"No bulk delete for '{_scope}'.");
        return LoadAsync();
    }

    /// <inheritdoc />
    public async Task<int> DeleteAllAsync()
    {
        await ResumeAsync();
        var operation = Guid.NewGuid();
        await WriteAsync(s => (s.Pending, s.PendingCorrelationId) = (operation, Correlation.Current));
        return await RunAsync(operation);
    }

    /// <inheritdoc />
    public async Task ResumeAsync()
    {
        await LoadAsync();
        if (State.Pending is { } interrupted)
        {
            var count = await RunAsync(interrupted);
            LogResumed(logger, _scope, interrupted, count);
        }
    }

    /// <inheritdoc />
    public async Task<Guid?> PendingAsync()
    {
        await LoadAsync();
        return State.Pending;
    }

    private Task<int> RunAsync(Guid operation) => _scope == QuestionKeys.Questions
        ? RunAsync(operation, key => GrainFactory.GetGrain<IQuestionPartitionGrain>(key), EventMethods.DeleteQuestions,
            items => QuestionJson.BulkJson(QuestionKeys.Questions, items.OrderBy(q => q.QuestionId).ToArray(), QuestionJson.Write))
        : RunAsync(operation, key => GrainFactory.GetGrain<IAnswerPartitionGrain>(key), EventMethods.DeleteAnswers,
            items => QuestionJson.BulkJson(QuestionKeys.Answers, items.Order(AnswerOrder.Instance).ToArray(), QuestionJson.Write));

    private async Task<int> RunAsync<T>(Guid operation, Func<string, IIndexPartitionGrain<T>> partition, string method, Func<List<T>, string> content)
        where T : class
    {
        var perPartition = await Task.WhenAll(IndexPartitions.All(_scope).Select(async key =>
        {
            var grain = partition(key);
            var deleted = new List<T>();
            while (true)
            {
                var batch = await grain.DeleteBatchAsync(operation, BatchSize, deleted.Count);
                deleted.AddRange(batch.Deleted);
                if (batch.Done) return deleted;
            }
        }));
        var all = perPartition.SelectMany(d => d).ToList();

        var item = NewEvent(method, _scope, operation.ToString(), content(all), DateTimeOffset.UtcNow);
        if (State.PendingCorrelationId is { } correlation) item = item with { CorrelationId = correlation };
        await WriteAsync(s => (s.Pending, s.PendingCorrelationId) = (null, null), item);
        foreach (var key in IndexPartitions.All(_scope))
        {
            _ = partition(key).ForgetAsync(operation);
        }
        return all.Count;
    }

    private Task WriteAsync(Action<BulkDeleteState> change, params EventEnvelope[] events)
    {
        var next = new BulkDeleteState { Pending = State.Pending, PendingCorrelationId = State.PendingCorrelationId };
        change(next);
        return CommitAsync(next, events);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finished the bulk delete {Operation} of {Scope} that a crash had interrupted ({Count} deleted)")]
    private static partial void LogResumed(ILogger logger, string scope, Guid operation, int count);
}
