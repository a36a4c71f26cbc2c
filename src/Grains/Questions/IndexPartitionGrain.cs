using InMemoryDb.Grains.Persistence;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// The common part of the question and answer index partitions (see <see cref="IIndexPartitionGrain{T}"/>), keyed
/// <c>{scope}/{partition}</c>: rebuild on activation, versions and reconciling after a silo died are
/// <see cref="ProjectionPartitionGrain{TState, TItem}"/>'s; this adds bulk deletes. On activation it also recovers what
/// an interrupted bulk delete had already deleted (tombstones naming the pending operation).
/// </summary>
public abstract class IndexPartitionGrain<TState, T>(IGrainStateScanner scanner, ILogger logger)
    : ProjectionPartitionGrain<TState, T>(scanner, logger)
    where TState : EntityState
    where T : class
{
    private Guid? _pending;
    private Guid? _operation;
    private Queue<string> _targets = new();
    private bool _targetsTaken;
    private readonly HashSet<string> _retry = new(StringComparer.Ordinal);
    private List<T> _deletedByOperation = [];

    /// <summary>The current entities by grain key.</summary>
    protected Dictionary<string, T> Items { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override int Count => Items.Count;

    /// <summary>What a stored state holds (<paramref name="key"/> is its grain's key, the entity's key here).</summary>
    protected abstract StoredEntity<T> Read(string key, TState state);

    /// <summary>Deletes one entity as part of a bulk delete (see <see cref="IQuestionBulkDeleteGrain"/>).</summary>
    protected abstract Task<T?> DeleteEntityAsync(string key, Guid operation);

    /// <summary>Called after an entity was added or replaced.</summary>
    protected virtual void OnAdded(string key, T item)
    {
    }

    /// <summary>Called after an entity was removed or replaced.</summary>
    protected virtual void OnRemoved(string key, T item)
    {
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pending = await GrainFactory.GetGrain<IBulkDeleteGrain>(Scope).PendingAsync();
        await base.OnActivateAsync(cancellationToken);
        _pending = null;
    }

    /// <inheritdoc />
    protected sealed override Stored? FromStored(string grainKey, TState state)
    {
        var stored = Read(grainKey, state);
        if (!stored.Exists && _pending is { } operation && stored.DeletedBy == operation && stored.Content is { } deleted)
        {
            // Deleted by a bulk delete that a crash interrupted: it is reported when the operation resumes.
            _operation = operation;
            _deletedByOperation.Add(deleted);
        }
        return new Stored(stored.Key, stored.Version, stored.Exists ? stored.Content : null);
    }

    /// <inheritdoc />
    protected sealed override void Set(string key, T? item)
    {
        if (Items.Remove(key, out var previous)) OnRemoved(key, previous);
        if (item is not null)
        {
            Items[key] = item;
            OnAdded(key, item);
        }
    }

    /// <summary>See <see cref="IIndexPartitionGrain{T}.DeleteBatchAsync"/>.</summary>
    public async Task<BulkDeleteBatch<T>> DeleteBatchAsync(Guid operation, int max, int reported)
    {
        if (_operation != operation)
        {
            _operation = operation;
            _deletedByOperation = [];
            _targetsTaken = false;
            _retry.Clear();
        }
        if (!_targetsTaken)
        {
            // The operation targets what exists when it first reaches this partition (or, resumed after a restart,
            // what is left); entities created while it runs are not its business.
            _targets = new Queue<string>(Items.Keys);
            _targetsTaken = true;
        }

        var batch = new List<(string Key, long Version)>(Math.Min(max, _targets.Count));
        while (batch.Count < max && _targets.TryDequeue(out var key))
        {
            // A key whose delete failed is tried again even if it left the index: the delete may have happened.
            if (Items.ContainsKey(key) || _retry.Remove(key)) batch.Add((key, VersionOf(key)));
        }
        var calls = batch.Select(entry => DeleteEntityAsync(entry.Key, operation)).ToArray();
        try
        {
            await Task.WhenAll(calls);
        }
        catch
        {
            // Handled per call below: what succeeded is recorded before the failure is reported.
        }

        Exception? failure = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var (key, version) = batch[i];
            if (!calls[i].IsCompletedSuccessfully)
            {
                // Tried again when the operation is retried; a delete that did happen is reported then (it is idempotent).
                failure ??= calls[i].Exception?.GetBaseException();
                _targets.Enqueue(key);
                _retry.Add(key);
            }
            else if (calls[i].Result is { } deleted)
            {
                _deletedByOperation.Add(deleted);
            }
            else if (VersionOf(key) == version)
            {
                // The entity says it does not exist and no change reached us since: our entry was stale.
                Set(key, null);
            }
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);

        var start = Math.Clamp(reported, 0, _deletedByOperation.Count);
        return new BulkDeleteBatch<T>(_deletedByOperation.GetRange(start, _deletedByOperation.Count - start), _targets.Count == 0);
    }

    /// <summary>The operation is logged: forget what it deleted.</summary>
    public Task ForgetAsync(Guid operation)
    {
        if (_operation == operation)
        {
            _operation = null;
            _deletedByOperation = [];
            _targets.Clear();
            _retry.Clear();
        }
        return Task.CompletedTask;
    }
}
