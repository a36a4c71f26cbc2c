using System.Collections.Concurrent;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// A key's state as its index partition holds it: its value (null: it does not exist), the version (operation number)
/// of the change that set it (0: never written) and that operation's timestamp. Reads answer from it, and a key grain
/// that activates to write takes it instead of reading storage.
/// </summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-held-state")]
public readonly record struct KeyValueHeldState(
    [property: Id(0)] string? Value,
    [property: Id(1)] long Version,
    [property: Id(2)] long TimestampTicks);

/// <summary>A change of one key as applied to its index partition: the value (null: deleted) and the operation's timestamp.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.kv-change")]
public sealed record KeyValueChange(
    [property: Id(0)] string? Value,
    [property: Id(1)] long TimestampTicks);

/// <summary>
/// The entries of one key-value index partition: per key, its current value (null: a tombstone, kept for its
/// version), the operation number (version) of the change that set it and that operation's timestamp. The partition grain alone changes them,
/// on its own scheduler; any thread may read them (<see cref="LocalKeyValuePartitions"/>), without a lock.
/// </summary>
public sealed class KeyValueSlots
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(concurrencyLevel: 1, capacity: 0, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unknown = new(concurrencyLevel: 1, capacity: 0, StringComparer.Ordinal);
    private volatile bool _complete;
    private int _live;

    /// <summary>One key's entry: 24 bytes beside its key in the dictionary's node.</summary>
    public readonly record struct Slot(string? Value, long Version, long TimestampTicks);

    /// <summary>Keys that exist (tombstones excluded).</summary>
    public int LiveCount => Volatile.Read(ref _live);

    /// <summary>Every entry (a moment's view; for listings, on the partition's scheduler).</summary>
    public IEnumerable<KeyValuePair<string, Slot>> Entries => _slots;

    /// <summary>
    /// What is known of <paramref name="key"/>: what is held (a tombstone included), a key never written (version 0)
    /// once the load from storage is done, or null while a key not held yet may still be in storage (ask its grain).
    /// </summary>
    public KeyValueHeldState? StateOf(string key)
    {
        if (_slots.TryGetValue(key, out var slot)) return new KeyValueHeldState(slot.Value, slot.Version, slot.TimestampTicks);
        return _complete && (_unknown.IsEmpty || !_unknown.ContainsKey(key)) ? new KeyValueHeldState(null, 0, 0) : null;
    }

    /// <summary>
    /// Forgets <paramref name="key"/> after a write of unknown fate (the partition's scheduler only): until it is set
    /// again, its state is unknown here (<see cref="StateOf"/> is null), so it is read from storage.
    /// </summary>
    public void Forget(string key)
    {
        if (_slots.TryRemove(key, out var old) && old.Value is not null) Interlocked.Decrement(ref _live);
        _unknown[key] = 0;
    }

    /// <summary>The value of <paramref name="key"/> when it exists and is held.</summary>
    public string? ValueOf(string key) => _slots.TryGetValue(key, out var slot) ? slot.Value : null;

    /// <summary>The version held of <paramref name="key"/>, if any.</summary>
    public bool TryGetVersion(string key, out long version)
    {
        var found = _slots.TryGetValue(key, out var slot);
        version = slot.Version;
        return found;
    }

    /// <summary>Sets <paramref name="key"/> (the partition's scheduler only).</summary>
    public void Set(string key, long version, KeyValueChange change)
    {
        var value = change.Value;
        var had = _slots.TryGetValue(key, out var old) && old.Value is not null;
        _slots[key] = new Slot(value, version, change.TimestampTicks);
        if (!_unknown.IsEmpty) _unknown.TryRemove(key, out _);
        var delta = (value is not null ? 1 : 0) - (had ? 1 : 0);
        if (delta != 0) Interlocked.Add(ref _live, delta);
    }

    /// <summary>Marks the load from storage done.</summary>
    public void MarkComplete() => _complete = true;
}

/// <summary>
/// The key-value index partitions active in this process, readable straight from their memory by a co-hosted API
/// (the embedded single node): a read then costs a dictionary lookup, with no grain call. A partition registers when
/// it activates and leaves before it deactivates, so a partition re-activated elsewhere is never read here.
/// </summary>
public sealed class LocalKeyValuePartitions
{
    private readonly KeyValueSlots?[] _partitions = new KeyValueSlots?[Partitioning.Count];

    /// <summary>The slots of partition <paramref name="partition"/> when it is active in this process.</summary>
    public KeyValueSlots? Get(int partition) => Volatile.Read(ref _partitions[partition]);

    /// <summary>Registers an activation's slots.</summary>
    public void Register(int partition, KeyValueSlots slots) => Volatile.Write(ref _partitions[partition], slots);

    /// <summary>Removes the registration of <paramref name="slots"/> (if still the registered ones).</summary>
    public void Unregister(int partition, KeyValueSlots slots) => Interlocked.CompareExchange(ref _partitions[partition], null, slots);
}
