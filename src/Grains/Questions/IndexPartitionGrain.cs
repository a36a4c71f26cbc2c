using System.Diagnostics;
using InMemoryDb.Grains.Events;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// The common part of the question and answer index partitions (see <see cref="IIndexPartitionGrain{T}"/>).
/// On activation it reloads its entities straight from grain storage (the source of truth) and recovers what an interrupted bulk delete had already deleted. Entity grains
/// apply each acknowledged change here before they answer, so listings and counts are exact.
/// </summary>
public abstract partial class IndexPartitionGrain<T>(ILogger logger) : Grain
    where T : class
{
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private Guid? _operation;
    private Queue<string> _targets = new();
    private bool _targetsTaken;
    private readonly HashSet<string> _retry = new(StringComparer.Ordinal);
    private List<T> _deletedByOperation = [];
    private readonly HashSet<string> _reconciledAfter = new(StringComparer.Ordinal);

    /// <summary>The current entities by grain key.</summary>
    protected Dictionary<string, T> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>The collection's scope (the part of the keys before the first '/').</summary>
    protected abstract string Scope { get; }

    /// <summary>Reads every stored entity of this partition.</summary>
    protected abstract IAsyncEnumerable<StoredEntity<T>> LoadAsync(int partition, CancellationToken cancellationToken);

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
        var key = this.GetPrimaryKeyString();
        var partition = int.Parse(key.AsSpan(key.LastIndexOf('/') + 1), System.Globalization.CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        var pending = await GrainFactory.GetGrain<IBulkDeleteGrain>(Scope).PendingAsync();
        await foreach (var stored in LoadAsync(partition, cancellationToken))
        {
            _versions[stored.Key] = stored.Version;
            if (stored.Exists && stored.Content is { } content)
            {
                Items[stored.Key] = content;
                OnAdded(stored.Key, content);
            }
            else if (pending is { } operation && stored.DeletedBy == operation && stored.Content is { } deleted)
            {
                // Deleted by a bulk delete that a crash interrupted: it is reported when the operation resumes.
                _operation = operation;
                _deletedByOperation.Add(deleted);
            }
        }
        LogRebuilt(logger, key, Items.Count, watch.ElapsedMilliseconds);
    }

    /// <summary>Records a change of entity <paramref name="key"/> (null: deleted); older versions are ignored.</summary>
    public Task ApplyAsync(string key, long version, T? item)
    {
        if (_versions.TryGetValue(key, out var known) && known >= version) return Task.CompletedTask;
        _versions[key] = version;
        if (Items.Remove(key, out var previous)) OnRemoved(key, previous);
        if (item is not null)
        {
            Items[key] = item;
            OnAdded(key, item);
        }
        return Task.CompletedTask;
    }

    /// <summary>The number of entities.</summary>
    public Task<int> CountAsync() => Task.FromResult(Items.Count);

    /// <summary>See <see cref="IIndexPartitionGrain{T}.ReconcileAsync"/>.</summary>
    public async Task ReconcileAsync(string deadSilo)
    {
        if (!_reconciledAfter.Add(deadSilo)) return;
        var key = this.GetPrimaryKeyString();
        var partition = int.Parse(key.AsSpan(key.LastIndexOf('/') + 1), System.Globalization.CultureInfo.InvariantCulture);
        await foreach (var stored in LoadAsync(partition, CancellationToken.None))
        {
            await ApplyAsync(stored.Key, stored.Version, stored.Exists ? stored.Content : null);
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
            if (Items.ContainsKey(key) || _retry.Remove(key)) batch.Add((key, _versions.GetValueOrDefault(key)));
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
            else if (_versions.GetValueOrDefault(key) == version && Items.Remove(key, out var stale))
            {
                // The entity says it does not exist and no change reached us since: our entry was stale.
                OnRemoved(key, stale);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Index partition {Partition} loaded {Count} entities from storage in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, string partition, int count, long elapsed);
}
