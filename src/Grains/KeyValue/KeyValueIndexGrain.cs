using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One in-memory partition of the key-value store (keyed by its number): the resident form of its keys, and their
/// writer. It serves every single-key read (<see cref="GetAsync"/>, or straight from its slots for a co-hosted API),
/// every listing, and every write of its keys (<see cref="WriteAsync"/>, <see cref="KeyValueWrites"/>): a write is
/// committed and held here before it is answered, so a read after an acknowledged write sees it, and no grain per key
/// is activated to write. It holds per key the value, version and timestamp only (<see cref="KeyValueSlots"/>).
/// After a start it activates at once and loads from storage in the background: single-key reads are answered
/// meanwhile (a key not loaded yet is read through its grain), listings are refused with
/// <see cref="IndexRebuildingException"/>. Versions and reconciling after a silo died:
/// <see cref="ProjectionPartitionGrain{TState, TItem}"/>.
/// </summary>
[KeepAlive]
[Orleans.Placement.HashBasedPlacement] // spread over the silos by partition number: a hung silo stops only its share of the keys
public sealed class KeyValueIndexGrain : ProjectionPartitionGrain<KeyValueState, KeyValueChange>, IKeyValueIndexGrain
{
    private readonly KeyValueSlots _slots = new();
    private readonly LocalKeyValuePartitions local;
    private readonly KeyValueWrites _writes;
    private string[]? _sortedKeys;

    /// <summary>Creates the partition; it writes its keys' rows through <see cref="ProviderNames.Storage"/>.</summary>
    public KeyValueIndexGrain(IGrainStateScanner scanner, LocalKeyValuePartitions local, [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
        ILogger<KeyValueIndexGrain> logger)
        : base(scanner, logger)
    {
        this.local = local;
        _writes = new KeyValueWrites(storage, key => _slots.StateOf(key), HoldIfNewer, key =>
        {
            _slots.Forget(key);
            _sortedKeys = null;
        });
    }

    /// <summary>The partition of the key grain <paramref name="grainKey"/> (<c>kv/{id}</c>): <see cref="Partitioning.Of"/>(id), as the database computes it.</summary>
    public static int PartitionOf(string grainKey) => Partitioning.Of(grainKey[(grainKey.IndexOf('/') + 1)..]);

    /// <summary>The partition holding and writing <paramref name="key"/>.</summary>
    public static IKeyValueIndexGrain Of(IGrainFactory grains, string key) => grains.GetGrain<IKeyValueIndexGrain>(PartitionOf(KeyValueKeys.GrainKey(key)));

    /// <inheritdoc />
    protected override string Scope => KeyValueKeys.Scope;

    /// <inheritdoc />
    protected override string StateName => KeyValueGrain.StateName;

    /// <inheritdoc />
    protected override int Count => _slots.LiveCount;

    /// <inheritdoc />
    protected override bool RebuildsInBackground => true;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        local.Register(Partition, _slots);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        local.Unregister(Partition, _slots);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    protected override void OnRebuilt() => _slots.MarkComplete();

    /// <inheritdoc />
    protected override Stored? FromStored(string grainKey, KeyValueState state)
        => state.Key.Length == 0 ? null : new Stored(state.Key, state.Version, new KeyValueChange(state.Exists ? state.Value : null, state.Timestamp.UtcTicks));

    /// <inheritdoc />
    protected override bool IsNewer(Stored change) => !_slots.TryGetVersion(change.Key, out var known) || known < change.Version;

    /// <inheritdoc />
    protected override void Hold(Stored change)
    {
        _slots.Set(change.Key, change.Version, change.Item ?? new KeyValueChange(null, 0));
        _sortedKeys = null;
    }

    /// <inheritdoc />
    protected override void Set(string key, KeyValueChange? item) => throw new NotSupportedException("Held through Hold (value, version and timestamp in one slot).");

    /// <inheritdoc />
    public Task<KeyValueHeldState?> GetAsync(string key) => Task.FromResult(_slots.StateOf(key));

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> WriteAsync(string key, string? value, DateTimeOffset? timestamp)
    {
        if (KeyValueKeys.CheckKey(key) is { } problem) return Task.FromResult(Outcome<KeyValueWriteResult>.Invalid("key", problem));
        if (value is not null && KeyValueKeys.CheckValue(value) is { } valueProblem) return Task.FromResult(Outcome<KeyValueWriteResult>.Invalid("value", valueProblem));
        if (timestamp is { } given && InputLimits.CheckTimestamp(given) is { } timestampProblem) return Task.FromResult(Outcome<KeyValueWriteResult>.Invalid("timestamp", timestampProblem));
        if (PartitionOf(KeyValueKeys.GrainKey(key)) != Partition) return Task.FromResult(Outcome<KeyValueWriteResult>.BadRequest($"Key '{key}' belongs to partition {PartitionOf(KeyValueKeys.GrainKey(key))}, not {Partition}."));
        return _writes.WriteAsync(key, value, timestamp);
    }

    /// <summary>Holds a committed or read state of <paramref name="key"/> unless the slot already holds a newer one.</summary>
    private void HoldIfNewer(string key, long version, KeyValueChange change)
    {
        var stored = new Stored(key, version, change);
        if (IsNewer(stored)) Hold(stored);
    }

    /// <inheritdoc />
    /// <remarks>A short load (a fresh or small store) finishes within the wait, so a start is not reported as loading.</remarks>
    public Task<bool> IsLoadedAsync() => LoadedWithinAsync(TimeSpan.FromMilliseconds(500));

    /// <inheritdoc />
    public async Task<KeyValueIndexPage> PageAsync(string? after, int? limit, long maxBytes)
    {
        await WaitUntilLoadedAsync();
        // Sorted keys only (8 bytes per key, rebuilt after a change): the values stay in the slots.
        var sorted = _sortedKeys ??= SortedLiveKeys();
        var start = after is null ? 0 : Listing.FirstAfter(sorted, k => string.CompareOrdinal(k, after));
        var take = Math.Min(limit ?? int.MaxValue, sorted.Length - start);
        var page = new List<KeyValueEntry>(Math.Min(take, 1024));
        long bytes = 0;
        for (var i = start; i < start + take && bytes <= maxBytes; i++)
        {
            var entry = new KeyValueEntry(sorted[i], _slots.ValueOf(sorted[i])!);
            bytes += KeyValueStoreGrain.Size(entry);
            page.Add(entry);
        }
        return new KeyValueIndexPage(page, start + page.Count < sorted.Length);
    }

    private string[] SortedLiveKeys()
    {
        var keys = _slots.Entries.Where(p => p.Value.Value is not null).Select(p => p.Key).ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }
}
